from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fours_contracts import Integer
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from payroll.plans import service
from payroll.plans.vocabulary import Plan

router = APIRouter(prefix="/api/v1", tags=["commission plans"])
Runner = Allowed(Permission.PAYROLL_RUN)
Inputs = Allowed(Permission.PAYROLL_INPUTS)
Readers = Allowed(Permission.EMPLOYEES_READ)
MonthText = Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2026-11"])]
MonthPath = Annotated[str, Path(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2026-11"])]
EmployeeNo = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$")]


class PlanOut(Plan):
    builtin: bool


class Plans(BaseModel):
    items: list[PlanOut]
    next_cursor: str | None = None


class AssignmentIn(BaseModel):
    plan_code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    from_month: MonthText


class Assignment(AssignmentIn):
    employee_no: str


class TargetIn(BaseModel):
    units: Annotated[Integer | None, Field(ge=0, le=10_000)] = None
    output: Annotated[Decimal, Decimals(ge=0)] | None = None
    profit: Annotated[Decimal, Decimals()] | None = None


class Target(TargetIn):
    month: str
    employee_no: str


class AttendanceIn(BaseModel):
    days_worked: Annotated[Decimal, Decimals(ge=0, le=31, digits=4, places=1)]
    days_scheduled: Annotated[Decimal, Decimals(gt=0, le=31, digits=4, places=1)]


class Attendance(AttendanceIn):
    month: str
    employee_no: str


class AppraisalIn(BaseModel):
    score: Annotated[Decimal, Decimals(ge=0, le=100, digits=5)]
    sheet_score: Annotated[Decimal, Decimals(ge=0, le=100, digits=5)] | None = None
    """The performance-sheet score % (对应绩效考核表得分) some PAY-10 formulas multiply by; 100 if not given."""


class Appraisal(AppraisalIn):
    month: str
    employee_no: str


class AdjustmentIn(BaseModel):
    month: MonthText
    employee_no: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    amount: Annotated[Decimal, Decimals()]
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class Adjustment(AdjustmentIn):
    id: str


@router.get("/commission-plans", response_model=Plans)
async def list_plans(kit: KitDep, _: Readers) -> dict[str, Any]:
    return {"items": await service.all_plans(kit)}


@router.post("/commission-plans", status_code=201, response_model=Plan, responses={409: {}, 422: {}})
async def add_plan(body: Plan, kit: KitDep, principal: Runner) -> dict[str, Any]:
    return await service.add_plan(kit, body, by=principal.username)


@router.put("/employees/{employee_no}/plan", response_model=Assignment, responses={404: {}, 422: {}})
async def assign_plan(employee_no: EmployeeNo, body: AssignmentIn, kit: KitDep, principal: Runner) -> dict[str, Any]:
    return await service.assign(kit, employee_no, body.plan_code, body.from_month, by=principal.username)


@router.put("/targets/{month}/{employee_no}", response_model=Target, responses={404: {}})
async def set_target(
    month: MonthPath, employee_no: EmployeeNo, body: TargetIn, kit: KitDep, principal: Inputs
) -> dict[str, Any]:
    return await service.set_target(kit, month, employee_no, body.model_dump(), by=principal.username)


@router.put("/attendance/{month}/{employee_no}", response_model=Attendance, responses={404: {}, 422: {}})
async def set_attendance(
    month: MonthPath, employee_no: EmployeeNo, body: AttendanceIn, kit: KitDep, principal: Inputs
) -> dict[str, Any]:
    """PAY-1: the post and seniority wage follow attendance; a month without an entry is a full month."""
    return await service.set_attendance(kit, month, employee_no, body.model_dump(), by=principal.username)


@router.put("/appraisals/{month}/{employee_no}", response_model=Appraisal, responses={404: {}})
async def set_appraisal(
    month: MonthPath, employee_no: EmployeeNo, body: AppraisalIn, kit: KitDep, principal: Inputs
) -> dict[str, Any]:
    return await service.set_appraisal(
        kit, month, employee_no, body.score, by=principal.username, sheet_score=body.sheet_score
    )


class SheetRow(BaseModel):
    employee_no: str
    name: str
    role: str
    team: str | None
    attendance: AttendanceIn | None
    """Null: nothing entered, a full month (PAY-1)."""
    appraisal: AppraisalIn | None
    target: TargetIn | None


class MonthSheet(BaseModel):
    month: str
    items: list[SheetRow]
    adjustments: list[Adjustment]
    store_figures_entered: bool


@router.get("/payroll-inputs/{month}", response_model=MonthSheet, responses={422: {}})
async def month_sheet(month: MonthPath, kit: KitDep, _: Inputs) -> dict[str, Any]:
    """What was entered for a month, one row for everyone on staff in it: attendance, appraisal,
    target; the month's adjustments; whether the store figures (PAY-10) are in."""
    return await service.month_sheet(kit, month)


Amount = Annotated[Decimal, Decimals()] | None


class StoreFiguresIn(BaseModel):
    """The month's department figures PAY-10 needs and no event carries."""

    aftersales_net_profit: Amount = None
    aftersales_net_profit_target: Annotated[Decimal, Decimals(gt=0)] | None = None
    parts_sales: Annotated[Decimal, Decimals(ge=0)] | None = None
    maintenance_products_sales: Annotated[Decimal, Decimals(ge=0)] | None = None
    parts_office_costs: Annotated[Decimal, Decimals(ge=0)] = Decimal("0")
    parts_profit: Amount = None
    parts_profit_target: Annotated[Decimal, Decimals(gt=0)] | None = None
    parts_sheet_score: Annotated[Decimal, Decimals(ge=0, le=100, digits=5)] = Decimal("100")


class StoreFigures(StoreFiguresIn):
    month: str
    set_by: str


@router.put("/store-figures/{month}", response_model=StoreFigures, responses={403: {}, 422: {}})
async def set_store_figures(month: MonthPath, body: StoreFiguresIn, kit: KitDep, principal: Inputs) -> dict[str, Any]:
    """Aftersales net profit and target, parts sales, maintenance-product sales, office costs, parts
    profit and target (PAY-10)."""
    return await service.set_store_figures(kit, month, body.model_dump(), by=principal.username)


@router.get("/store-figures/{month}", response_model=StoreFigures, responses={404: {}})
async def get_store_figures(month: MonthPath, kit: KitDep, _: Readers) -> dict[str, Any]:
    return await service.get_store_figures(kit, month)


@router.post("/adjustments", status_code=201, response_model=Adjustment, responses={404: {}})
async def add_adjustment(body: AdjustmentIn, kit: KitDep, principal: Inputs) -> dict[str, Any]:
    return await service.add_adjustment(kit, body.model_dump(), by=principal.username)
