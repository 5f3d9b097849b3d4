from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from servicekit.auth import CurrentPrincipal
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from payroll.runs import rules, service

router = APIRouter(prefix="/api/v1/payroll-runs", tags=["payroll runs"])
Runner = Allowed(Permission.PAYROLL_RUN)
Readers = Allowed(Permission.EMPLOYEES_READ)
LINE_CODES = Literal[
    "base_wage",
    "seniority",
    "performance_pay",
    "unit_commission",
    "insurance_commission",
    "loan_commission",
    "accessories_commission",
    "above_floor_share",
    "target_bonus",
    "top_seller_bonus",
    "online_order_commission",
    "renewal_commission",
    "output_commission",
    "plate_commission",
    "mortgage_commission",
    "used_car_commission",
    "service_bonus",
    "parts_pool",
    "maintenance_products",
    "minimum_top_up",
    "clawback",
    "adjustment",
]


class RunIn(BaseModel):
    month: Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2026-11"])]


class Run(BaseModel):
    id: str
    month: str
    state: rules.State
    computed_at: datetime | None
    approved_by: str | None
    locked_by: str | None
    locked_at: datetime | None
    employees: int
    gross_total: Decimal
    version: int


class PayslipSummary(BaseModel):
    employee_no: str
    name: str | None
    gross: Decimal


class RunDetail(Run):
    payslips: list[PayslipSummary] = []
    """Each person paid in the run, with the gross of their payslip."""


class PayslipLine(BaseModel):
    code: LINE_CODES
    description: str
    amount: Decimal
    basis: dict[str, str]
    source_event_ids: list[str]


class Payslip(BaseModel):
    run_id: str
    month: str
    state: str
    employee_no: str
    plan_code: str | None
    lines: list[PayslipLine]
    gross: Decimal


@router.post("", status_code=201, response_model=Run, responses={409: {}})
async def create_run(body: RunIn, kit: KitDep, principal: Runner) -> dict[str, Any]:
    return await service.create(kit, body.month, by=principal.username)


class Runs(BaseModel):
    items: list[Run]


@router.get("", response_model=Runs)
async def list_runs(
    kit: KitDep, _: Readers, month: Annotated[str | None, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")] = None
) -> dict[str, Any]:
    """The runs, newest month first (the last ten years at most)."""
    return {"items": await service.listing(kit, month)}


@router.get("/{run_id}", response_model=RunDetail, responses={404: {}})
async def get_run(run_id: str, kit: KitDep, _: Readers) -> dict[str, Any]:
    return await service.get(kit, run_id)


@router.post("/{run_id}/compute", response_model=Run, responses={404: {}, 409: {}})
async def compute_run(run_id: str, kit: KitDep, principal: Runner) -> dict[str, Any]:
    return await service.act(kit, run_id, "compute", by=principal.username)


@router.post("/{run_id}/approve", response_model=Run, responses={404: {}, 409: {}})
async def approve_run(run_id: str, kit: KitDep, principal: Runner) -> dict[str, Any]:
    return await service.act(kit, run_id, "approve", by=principal.username)


@router.post("/{run_id}/lock", response_model=Run, responses={404: {}, 409: {}})
async def lock_run(run_id: str, kit: KitDep, principal: Runner) -> dict[str, Any]:
    return await service.act(kit, run_id, "lock", by=principal.username)


@router.get("/{run_id}/payslips/{employee_no}", response_model=Payslip, responses={403: {}, 404: {}})
async def get_payslip(run_id: str, employee_no: str, kit: KitDep, principal: CurrentPrincipal) -> dict[str, Any]:
    return await service.payslip(kit, run_id, employee_no, by=principal)


@router.get("/{run_id}/export.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}, 404: {}})
async def export_run(run_id: str, kit: KitDep, _: Readers) -> Response:
    text = await service.export_csv(kit, run_id)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="payroll-{run_id}.csv"'},
    )
