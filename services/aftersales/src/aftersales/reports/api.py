from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from aftersales.reports import service

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
