from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query
from fours_contracts import PositiveMoney
from pydantic import BaseModel, Field, TypeAdapter
from servicekit.errors import within_batch_limit
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from insurance.repayments import service

router = APIRouter(prefix="/api/v1", tags=["car loans"])
Finance = Allowed(Permission.LOANS_WORK)
Lender = Allowed(Permission.LOANS_REPAY)


class RepaymentLine(BaseModel):
    contract_no: Annotated[str, Field(min_length=1, max_length=64)]
    """The lender's loan contract, as the payout recorded it."""
    instalment: Annotated[int, Field(ge=1, le=120)]
    amount: PositiveMoney
    """What has been paid on this instalment so far (a later statement may say more)."""
    paid_on: date


REPAYMENT = TypeAdapter(RepaymentLine)


class RepaymentBatch(BaseModel):
    items: list[Any]


class RepaymentResult(BaseModel):
    index: int
    status: Literal["recorded", "updated", "unchanged", "rejected"]
    contract_no: str | None = None
    errors: list[dict[str, str]]


class RepaymentResults(BaseModel):
    results: list[RepaymentResult]


class OverdueInstalment(BaseModel):
    application_id: str
    number: int
    due_on: date
    payment: Decimal
    paid_amount: Decimal
    outstanding: Decimal
    days_overdue: int
    level: int
    """FIN-6: 0 the specialist's; 1, 2, 3 from 30, 60, 90 days overdue: the finance manager's."""
    escalated: bool
    lender: str
    contract_no: str
    customer_id: str
    vin: str | None
    specialist_no: str | None


class LoanTask(BaseModel):
    id: int
    application_id: str
    number: int
    kind: Literal["reminder", "collection"]
    opened_on: date
    level: int
    escalated_on: date | None
    assignee_no: str | None
    state: Literal["open", "done"]
    done_on: date | None
    note: str | None
    lender: str
    contract_no: str
    customer_id: str
    due_on: date
    outstanding: Decimal


class LoanTaskDoneIn(BaseModel):
    note: Annotated[str, Field(min_length=1, max_length=1000)]


class Instalment(BaseModel):
    number: int
    due_on: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal
    paid_amount: Decimal
    paid_on: date | None


class LoanAccount(BaseModel):
    application_id: str
    lender: str
    contract_no: str
    customer_id: str
    order_id: str | None
    vin: str | None
    specialist_no: str | None
    watch: bool
    principal: Decimal
    annual_rate: Decimal
    term_months: int
    first_due_on: date
    opened_at: datetime
    instalments: list[Instalment]


@router.post(
    "/integrations/loan-repayments:batch",
    response_model=RepaymentResults,
    responses={401: {}, 403: {}, 413: {}, 422: {}},
)
async def push_repayments(body: Annotated[RepaymentBatch, Body()], kit: KitDep, lender: Lender) -> dict[str, Any]:
    """FIN-5: a lender's repayment statement (API key with ``loans:repay``; the key's partner is the
    lender as the applications name it, in any case), up to 1,000 lines, each answered on its own."""
    within_batch_limit(body.items, service.MAX_ITEMS, "lines")
    return {"results": await service.record_many(kit, body.items, REPAYMENT, partner=lender.username)}


@router.get("/loans/overdue", response_model=Page[OverdueInstalment], responses={422: {}})
async def overdue_instalments(
    kit: KitDep,
    principal: Finance,
    level: Annotated[int | None, Query(ge=0, le=3)] = None,
    specialist_no: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """FIN-6: instalments past due and not paid in full, oldest first, with days overdue and level."""
    items, next_cursor = await service.overdue(
        kit, by=principal, level=level, specialist_no=specialist_no, limit=limit, cursor=cursor
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/loans/tasks", response_model=Page[LoanTask], responses={422: {}})
async def after_loan_tasks(
    kit: KitDep,
    principal: Finance,
    kind: Literal["reminder", "collection"] | None = None,
    state: Literal["open", "done"] = "open",
    escalated: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """FIN-5/6: reminders before a watched customer's instalments and collections of missed ones."""
    items, next_cursor = await service.tasks(
        kit, by=principal, kind=kind, state=state, escalated=escalated, limit=limit, cursor=cursor
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/loans/tasks/{task_id}/done", response_model=LoanTask, responses={403: {}, 404: {}, 409: {}})
async def finish_after_loan_task(
    task_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: LoanTaskDoneIn, kit: KitDep, principal: Finance
) -> dict[str, Any]:
    """A reminder done (the customer was reminded); a collection closes itself when the instalment is paid."""
    await service.finish_task(kit, task_id, body.note, by=principal)
    items, _ = await service.tasks(
        kit, by=principal, kind=None, state="done", escalated=None, limit=1, cursor=None, task_id=task_id
    )
    return items[0]


@router.get("/loans/{application_id}/schedule", response_model=LoanAccount, responses={403: {}, 404: {}})
async def loan_schedule(application_id: str, kit: KitDep, principal: Finance) -> dict[str, Any]:
    """FIN-2: a paid-out loan's instalments and what was paid on each."""
    return await service.account(kit, application_id, by=principal)
