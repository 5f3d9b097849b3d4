import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from fours_contracts import Day
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.errors import Unprocessable, field_error
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from insurance.reports import service

router = APIRouter(prefix="/api/v1", tags=["insurance reports"])
Manager = Allowed(Permission.INSURANCE_MANAGE)
Reconciler = Allowed(Permission.INSURANCE_RECONCILE)
LoanManager = Allowed(Permission.LOANS_MANAGE)
Month = Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]


class Report(BaseModel):
    id: str
    kind: Literal["weekly", "monthly", "adhoc"]
    period_start: date
    period_end: date
    generated_at: datetime
    content: dict[str, Any]


class RunIn(BaseModel):
    from_: Day = Field(alias="from")
    to: Day


class StatementLine(BaseModel):
    policy_no: Annotated[str, Field(min_length=1, max_length=64)]
    amount: Annotated[Decimal, Decimals()]


class StatementIn(BaseModel):
    insurer: Annotated[str, Field(min_length=1, max_length=64)]
    month: Month
    lines: Annotated[list[StatementLine], Field(max_length=20000)]


class ReconciliationLine(BaseModel):
    policy_no: str
    premium: Decimal | None
    expected: Decimal | None
    received: Decimal | None
    difference: Decimal | None
    status: Literal["matched", "short", "over", "not_paid", "no_rate", "unknown_policy"]


class Reconciliation(BaseModel):
    insurer: str
    month: str
    statement_received: bool
    statement_recorded_at: datetime | None
    expected_total: Decimal
    received_total: Decimal
    difference_total: Decimal
    lines: list[ReconciliationLine]
    differences: list[ReconciliationLine]


@router.get("/reports/insurance", response_model=list[Report])
async def list_reports(
    kit: KitDep,
    principal: Manager,
    kind: Literal["weekly", "monthly", "adhoc"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[dict[str, Any]]:
    """The Monday-morning weekly and the before-the-5th monthly reports (INS-4), newest first."""
    return await service.listing(kit, kind, limit)


CSV = {
    "description": "the report, with format=json (the default) or as CSV rows of section, figure and value",
    "content": {"text/csv": {"schema": {"type": "string"}, "example": "section,figure,value\nnew_cars,policies,12\n"}},
}


@router.get("/reports/insurance/{report_id}", response_model=Report, responses={200: CSV, 404: {}})
async def get_report(report_id: str, kit: KitDep, principal: Manager, format: Literal["json", "csv"] = "json") -> Any:
    report = await service.one(kit, report_id)
    if format == "json":
        return report
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "figure", "value"])
    for section in ("new_cars", "renewals"):
        for figure, value in report["content"][section].items():
            if isinstance(value, dict):
                for key, n in value.items():
                    writer.writerow([section, f"{figure}.{key}", n])
            else:
                writer.writerow([section, figure, "" if value is None else value])
    name = f"insurance-{report['kind']}-{report['period_start']}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/reports/insurance", status_code=201, response_model=Report, responses={422: {}})
async def run_report(body: RunIn, kit: KitDep, principal: Manager) -> dict[str, Any]:
    """A report for any period, on demand (kept as ``adhoc``)."""
    if body.to < body.from_ or (body.to - body.from_).days > 366:
        raise Unprocessable("the period runs forwards and at most a year", errors=[field_error("to", "bad period")])
    async with kit.db.transaction() as session:
        return await service.store(session, "adhoc", body.from_, body.to)


@router.post("/commission-statements", status_code=204, responses={403: {}, 422: {}})
async def record_statement(body: StatementIn, kit: KitDep, principal: Reconciler) -> Response:
    """An insurer's commission (手续费) statement for a month, as finance received it."""
    await service.record_statement(
        kit, body.insurer, body.month, [line.model_dump() for line in body.lines], by=principal.username
    )
    return Response(status_code=204)


@router.get("/reports/commission-reconciliation", response_model=Reconciliation)
async def reconciliation(
    kit: KitDep,
    principal: Reconciler,
    insurer: Annotated[str, Query(min_length=1, max_length=64)],
    month: Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")],
) -> dict[str, Any]:
    """INS-5: expected (premium × rate of each policy starting in the month) against the statement."""
    return await service.reconciliation(kit, insurer, month)


class LenderLoanFigures(BaseModel):
    lender: str
    applications: int
    approved: int
    declined: int
    approval_rate: Decimal | None
    approved_amount: Decimal


class LoanPeriod(BaseModel):
    from_: date = Field(alias="from")
    to: date


class LoansReport(BaseModel):
    period: LoanPeriod
    applications: int
    """Opened in the period."""
    approved: int
    """The lenders' approvals in the period."""
    declined: int
    approval_rate: Decimal | None
    """approved ÷ (approved + declined) of the period's answers."""
    approved_amount: Decimal
    deliveries: int
    financed_deliveries: int
    loan_penetration: Decimal | None
    """financed ÷ delivered cars of the period."""
    handling_fee_income: Decimal
    """The handling fees the period's financed deliveries carried."""
    overdue_instalments: int
    """Now: instalments past due and not paid in full."""
    overdue_amount: Decimal
    by_lender: list[LenderLoanFigures]


@router.get("/reports/loans", response_model=LoansReport, response_model_by_alias=True, responses={422: {}})
async def loans_report(
    kit: KitDep, _: LoanManager, from_: Annotated[date, Query(alias="from")], to: date
) -> dict[str, Any]:
    """FIN-7: the F&I office's weekly report (每周销售情况汇报) for any span of days."""
    if to < from_:
        raise Unprocessable("the period ends before it starts", errors=[field_error("to", "before from")])
    return await service.loans(kit, from_, to)
