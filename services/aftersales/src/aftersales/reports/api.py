from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from servicekit.calendar import today as calendar_today
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from aftersales.reports import service
from aftersales.warranty_claims.rules import WarrantyClaimFigures

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Managers = Allowed(Permission.AFTERSALES_REPORTS)


class OverMax(BaseModel):
    part_no: str
    name: str
    on_hand: Decimal
    max_qty: Decimal


class Aged(BaseModel):
    part_no: str
    name: str
    on_hand: Decimal
    stock_value: Decimal
    last_out_at: datetime | None


class CategorySales(BaseModel):
    category: str
    workshop_amount: Decimal
    counter_amount: Decimal
    amount: Decimal
    cost: Decimal
    margin: Decimal
    margin_rate: Decimal | None


class AdvisorBottles(BaseModel):
    advisor_no: str
    bottles: int


class PartsReport(BaseModel):
    month: str
    fill_rate: Decimal | None
    """备件满足率: repair-order lines served from stock when first asked ÷ lines asked, in the month."""
    lines_asked: int
    lines_served_at_once: int
    turnover: Decimal | None
    """配件周转率: cost of issues and counter sales over the 12 months to the month's end ÷ the average
    stock value at those month ends."""
    issued_cost_12_months: Decimal
    stock_value: Decimal
    """At the month's end, at average cost."""
    over_max: list[OverMax]
    """最大库存数: parts above their maximum at the month's end."""
    aged_days: int
    aged: list[Aged]
    """积压库存: on the shelf at the month's end and not issued for ``aged_days``."""
    sales: list[CategorySales]
    """The month's sales of catalogue parts by category, on repair orders handed over and over the counter."""
    bottles_by_advisor: list[AdvisorBottles]


@router.get("/parts", response_model=PartsReport)
async def parts_report(
    kit: KitDep,
    _: Managers,
    month: Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2026-11"])],
) -> dict[str, Any]:
    """PARTS-9: the parts department's month (service manager, station head, parts manager, GM)."""
    return await service.parts_report(kit, month)


Workshop = Allowed(Permission.WORKSHOP_MANAGE)


class AdvisorOutput(BaseModel):
    advisor_no: str
    received: int
    """Cars received (repair orders opened) in the month."""
    daily_average: Decimal | None
    """日均接车量: received ÷ the month's days so far."""
    routine_output: Decimal
    """产值 of routine maintenance and repairs, warranty included (orders handed over in the month)."""
    accident_output: Decimal
    labour_amount: Decimal
    parts_amount: Decimal
    products_amount: Decimal
    bottles: int
    output_amount: Decimal
    cost: Decimal
    """What the parts and products cost, at the ledger's moving average when they were issued."""
    margin: Decimal
    margin_rate: Decimal | None


class OutputTotal(BaseModel):
    routine: Decimal
    accident: Decimal
    amount: Decimal
    cost: Decimal
    margin: Decimal
    margin_rate: Decimal | None


class YearTargets(BaseModel):
    routine: Decimal
    accident: Decimal
    stretch_routine: Decimal
    stretch_accident: Decimal
    csi: Decimal
    survey: Decimal
    first: Decimal
    stretch: Decimal


class MonthOutput(BaseModel):
    month: str
    routine: Decimal
    accident: Decimal
    output: Decimal
    target: Decimal
    """A twelfth of the year's first target."""
    stretch_target: Decimal
    completion: Decimal | None
    stretch_completion: Decimal | None


class YearToDate(BaseModel):
    routine: Decimal
    accident: Decimal
    output: Decimal
    target: Decimal
    routine_target: Decimal
    accident_target: Decimal
    stretch_target: Decimal
    completion: Decimal | None
    routine_completion: Decimal | None
    accident_completion: Decimal | None
    stretch_completion: Decimal | None


class AftersalesReport(BaseModel):
    month: str
    advisors: list[AdvisorOutput]
    output: OutputTotal
    targets: YearTargets
    months: list[MonthOutput]
    """Each month of the year through this one."""
    year_to_date: YearToDate
    csi: Decimal | None
    """KPI-3: the ``overall`` answers (1-10) of the calls about the month's handovers, mean × 100
    (target ≥ 900)."""
    survey: Decimal | None
    """KPI-3: the ten-item survey, each call's mean answer × 10, averaged (target ≥ 92)."""
    calls_scored: int
    claims: WarrantyClaimFigures
    """CLM-3 for the store."""


class Intake(BaseModel):
    advisor_no: str
    type: str
    cars: int


class InWorkshop(BaseModel):
    state: str
    age: str
    """Days since reception: 0-1, 2-3, 4-7, 8+."""
    orders: int


class WaitingForParts(BaseModel):
    repair_order_id: str
    vin: str
    advisor_no: str
    opened_at: datetime
    part_nos: list[str]


class DayAppointment(BaseModel):
    id: str
    starts_at: datetime
    vin: str
    advisor_no: str
    service_type: str
    status: str


class DailyReport(BaseModel):
    day: date
    intake: list[Intake]
    """The day before's cars received, by advisor and type."""
    intake_total: int
    in_workshop: list[InWorkshop]
    waiting_parts: list[WaitingForParts]
    appointments: list[DayAppointment]


@router.get("/aftersales", response_model=AftersalesReport, responses={422: {}})
async def aftersales_report(
    kit: KitDep,
    _: Workshop,
    month: Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2026-11"])],
) -> dict[str, Any]:
    """KPI-1..3: the workshop's month (service manager, station head, GM)."""
    return await service.aftersales_report(kit, month, today=calendar_today())


@router.get("/aftersales/daily", response_model=DailyReport, responses={422: {}})
async def aftersales_daily(kit: KitDep, _: Workshop, day: date | None = None) -> dict[str, Any]:
    """KPI-4: the morning meeting (晨会) of ``day`` (today when left out)."""
    return await service.daily(kit, day or calendar_today())
