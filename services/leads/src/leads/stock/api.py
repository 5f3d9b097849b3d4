from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Grade, Instant, PositiveMoney, Vin
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from leads.stock import service

router = APIRouter(prefix="/api/v1/stock", tags=["stock"])
Sales = Allowed(Permission.LEADS_WRITE)
Keeper = Allowed(Permission.STOCK_WRITE)
Flag = Literal["pdi_late", "waiting_repair_over_week", "not_ready_for_handover"]


class ArrivalIn(BaseModel):
    vin: Vin
    model: Annotated[str, Field(min_length=1, max_length=100)]
    grade: Grade
    colour: Annotated[str, Field(min_length=1, max_length=50)]
    cost: PositiveMoney
    arrived_at: Instant


class PdiIn(BaseModel):
    result: Literal["passed", "failed"]
    notes: Annotated[str | None, Field(max_length=2000)] = None


class StockCar(BaseModel):
    vin: str
    model: str
    grade: str
    colour: str
    cost: Decimal
    arrived_at: datetime
    pdi_status: Literal["pending", "passed", "failed"]
    pdi_at: datetime | None
    pdi_notes: str | None
    repair_since: datetime | None
    status: Literal["in_stock", "reserved", "sold"]
    order_id: str | None
    planned_handover_at: datetime | None
    sold_at: datetime | None
    stock_age_days: int
    flags: list[Flag]


class StockReport(BaseModel):
    as_of: datetime
    count: int
    average_stock_age_days: float | None
    flag_counts: dict[str, int]
    cars: list[StockCar]


@router.post("", status_code=201, response_model=StockCar, responses={403: {}, 409: {}, 422: {}})
async def arrival(body: ArrivalIn, kit: KitDep, principal: Keeper) -> dict[str, Any]:
    """A new car arrives: it must pass PDI within 1 day (LEAD-7)."""
    return await service.arrive(kit, body.model_dump(), by=principal)


@router.get("/report", response_model=StockReport)
async def stock_report(
    kit: KitDep,
    principal: Sales,
    status: Literal["in_stock", "reserved", "sold"] | None = None,
    flagged: Annotated[bool, Query(description="only the cars failing a LEAD-7 check")] = False,
) -> dict[str, Any]:
    """Stock age (库龄) and the LEAD-7 flags: PDI later than a day, waiting for repair over a week, not
    ready or not matching the contract within 6 hours of the planned handover."""
    return await service.report(kit, status=status, flagged_only=flagged)


@router.get("/{vin}", response_model=StockCar, responses={404: {}})
async def stock_car(vin: Vin, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.get(kit, vin)


@router.post("/{vin}/pdi", response_model=StockCar, responses={403: {}, 404: {}, 409: {}})
async def pdi(vin: Vin, body: PdiIn, kit: KitDep, principal: Keeper) -> dict[str, Any]:
    return await service.record_pdi(kit, vin, body.result, body.notes, by=principal)
