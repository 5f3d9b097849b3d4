from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Instant, Integer, ServiceType, Vin, VinFilter
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.concurrency import IfMatch
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.repair_orders import rules, service
from aftersales.vehicles import service as vehicles

router = APIRouter(prefix="/api/v1/repair-orders", tags=["repair orders"])
Workshop = Allowed(Permission.REPAIR_ORDERS_WRITE)
VehicleReaders = Allowed(Permission.VEHICLES_READ)
Money = Annotated[Decimal, Decimals(ge=0)]
State = rules.State
Vin = Vin
StaffNo = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]


class RepairOrderIn(BaseModel):
    vin: Vin
    advisor_no: StaffNo
    mileage_km: Annotated[Integer, Field(ge=0, le=3_000_000)]
    type: ServiceType
    opened_at: Instant
    concerns: Annotated[str, Field(min_length=1, max_length=2000)]


class LineIn(BaseModel):
    kind: rules.LineKind
    part_no: Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,39}$")] | None = None
    """A part or product from the catalogue: reserved from stock, or waiting for it; left out, a free-text
    line (sublet work), which needs a description and a price."""
    description: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    """Left out with a part_no, the catalogue's name."""
    quantity: Annotated[Decimal, Decimals(gt=0, le=10_000, digits=10)]
    unit_price: Money | None = None
    """Left out with a part_no, the catalogue's price."""
    unit_cost: Money | None = None
    """Of a catalogue part, the stock's average cost (at handover, what it was issued at)."""
    require_stock: bool = False
    """With a part_no: 409 ``insufficient_stock`` instead of a line waiting for parts."""


class TransitionIn(BaseModel):
    to: State


class HandoverIn(BaseModel):
    handed_over_at: Instant


class TechnicianIn(BaseModel):
    technician_no: StaffNo


class Line(BaseModel):
    id: str
    kind: rules.LineKind
    part_no: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit_cost: Decimal | None
    amount: Decimal
    stock_state: Literal["reserved", "waiting_parts", "issued"] | None
    """Of a catalogue line: held for this order, waiting for stock, or issued at handover."""


class Totals(BaseModel):
    labour_amount: Decimal
    parts_amount: Decimal
    parts_cost: Decimal
    products_amount: Decimal
    product_bottles: int
    total_amount: Decimal


class RepairOrder(BaseModel):
    id: str
    vin: str
    advisor_no: str
    technician_no: str | None
    type: str
    mileage_km: int
    concerns: str
    state: State
    opened_at: datetime
    handed_over_at: datetime | None
    completed_event_id: str | None
    version: int
    lines: list[Line]
    totals: Totals
    allowed_transitions: list[str]


class RepairOrderSummary(BaseModel):
    id: str
    vin: str
    advisor_no: str
    type: str
    state: State
    opened_at: datetime
    handed_over_at: datetime | None
    version: int


@router.post("", status_code=201, response_model=RepairOrder, responses={403: {}, 422: {}})
async def open_repair_order(body: RepairOrderIn, kit: KitDep, principal: Workshop) -> dict[str, Any]:
    return await service.open_order(kit, body.model_dump(), by=principal)


@router.get("", response_model=Page[RepairOrderSummary])
async def list_repair_orders(
    kit: KitDep,
    principal: Workshop,
    vin: Annotated[VinFilter | None, Query()] = None,
    state: State | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> Page[RepairOrderSummary]:
    items, next_cursor = await service.search(kit, by=principal, vin=vin, state=state, limit=limit, cursor=cursor)
    return Page[RepairOrderSummary](
        items=[RepairOrderSummary.model_validate(i) for i in items], next_cursor=next_cursor
    )


@router.get("/{order_id}", response_model=RepairOrder, responses={403: {}, 404: {}})
async def get_repair_order(order_id: str, kit: KitDep, principal: Workshop) -> dict[str, Any]:
    return await service.get(kit, order_id, by=principal)


@router.post("/{order_id}/lines", status_code=201, response_model=RepairOrder, responses={404: {}, 409: {}, 412: {}})
async def add_line(
    order_id: str, body: LineIn, kit: KitDep, principal: Workshop, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.add_line(kit, order_id, body.model_dump(), by=principal, if_match=if_match)


@router.delete("/{order_id}/lines/{line_id}", response_model=RepairOrder, responses={404: {}, 409: {}, 412: {}})
async def remove_line(
    order_id: str, line_id: str, kit: KitDep, principal: Workshop, if_match: IfMatch = None
) -> dict[str, Any]:
    """A line taken off the order (while it is open or in progress): what it held goes back to stock."""
    return await service.remove_line(kit, order_id, line_id, by=principal, if_match=if_match)


@router.post("/{order_id}/technician", response_model=RepairOrder, responses={404: {}, 409: {}, 412: {}, 422: {}})
async def assign_technician(
    order_id: str, body: TechnicianIn, kit: KitDep, principal: Workshop, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.assign_technician(kit, order_id, body.technician_no, by=principal, if_match=if_match)


@router.post("/{order_id}/transitions", response_model=RepairOrder, responses={404: {}, 409: {}, 412: {}})
async def move_repair_order(
    order_id: str, body: TransitionIn, kit: KitDep, principal: Workshop, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.move(kit, order_id, body.to, by=principal, if_match=if_match)


@router.post("/{order_id}/handover", response_model=RepairOrder, responses={404: {}, 409: {}, 412: {}, 422: {}})
async def hand_over(
    order_id: str, body: HandoverIn, kit: KitDep, principal: Workshop, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.hand_over(kit, order_id, body.handed_over_at, by=principal, if_match=if_match)


history_router = APIRouter(prefix="/api/v1/vehicles", tags=["vehicles"])
"""A car's service history: its repair orders, read by the car."""


class Visit(BaseModel):
    id: str
    type: str
    state: str
    mileage_km: int
    opened_at: datetime
    handed_over_at: datetime | None
    advisor_no: str
    concerns: str
    """What the customer came in with."""
    work: list[str]
    """The lines' descriptions, in the order they were written."""
    amount: Decimal
    """The lines' total (labour, parts and the rest)."""


class History(BaseModel):
    vin: str
    items: list[Visit]
    next_cursor: str | None = None


@history_router.get("/{vin}/history", response_model=History, responses={404: {}})
async def vehicle_history(vin: Vin, kit: KitDep, _: VehicleReaders) -> History:
    car = await vehicles.get(kit, vin)
    return History(vin=car["vin"], items=[Visit.model_validate(v) for v in await service.history(kit, vin)])
