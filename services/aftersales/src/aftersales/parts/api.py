from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from fours_contracts import NonNegativeMoney
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.parts import rules, service

router = APIRouter(prefix="/api/v1/parts", tags=["parts"])
Readers = Allowed(Permission.PARTS_READ)
Keepers = Allowed(Permission.PARTS_WRITE)
PartNo = Annotated[str, Path(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,39}$", description="the manufacturer's part number")]
Quantity = Annotated[Decimal, Decimals(ge=0, digits=12)]


class PartIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    category: rules.Category
    unit: rules.Unit = "piece"
    """Maintenance products are counted in bottles (PAY-10); pieces, sets and bottles move whole."""
    price: NonNegativeMoney
    cost: NonNegativeMoney
    min_qty: Quantity = Decimal(0)
    max_qty: Quantity = Decimal(0)
    bin: Annotated[str, Field(max_length=40)] | None = None


class Part(PartIn):
    part_no: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    on_order: Decimal
    waiting: Decimal
    """What repair orders wait for and no stock serves yet."""
    avg_cost: Decimal
    stock_value: Decimal
    last_movement_at: datetime | None
    version: int


class Movement(BaseModel):
    id: str
    part_no: str
    kind: rules.MovementKind
    quantity: Decimal
    unit_cost: Decimal
    on_hand_after: Decimal
    reserved_after: Decimal
    avg_cost_after: Decimal
    source_kind: str
    source_id: str | None
    source_line_id: str | None
    note: str | None
    by: str
    at: datetime


class Suggestion(Part):
    suggested_qty: Decimal
    reason: str
    """below_min, or waiting_repair_orders"""


@router.get("", response_model=Page[Part])
async def list_parts(
    kit: KitDep,
    _: Readers,
    q: Annotated[str | None, Query(min_length=1, max_length=60, description="part of the number or name")] = None,
    category: rules.Category | None = None,
    below_min: Annotated[bool, Query(description="only what is below its minimum, counting what is on order")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    items, next_cursor = await service.search(
        kit, q=q, category=category, below_min=below_min, limit=limit, cursor=cursor
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/reorder-suggestions", response_model=list[Suggestion])
async def suggest_reorders(kit: KitDep, _: Readers) -> list[dict[str, Any]]:
    """PARTS-4: below the minimum, up to the maximum less what is on order; and what repair orders
    wait for."""
    return await service.reorder_suggestions(kit)


@router.put("/{part_no}", response_model=Part, responses={201: {"model": Part}, 409: {}})
async def put_part(
    part_no: PartNo, body: PartIn, kit: KitDep, principal: Keepers, response: Response
) -> dict[str, Any]:
    """The catalogue entry (201 when new); its stock moves only through movements."""
    part, created = await service.put(kit, part_no, body.model_dump(), by=principal.username)
    if created:
        response.status_code = 201
    return part


@router.get("/{part_no}", response_model=Part, responses={404: {}})
async def get_part(part_no: PartNo, kit: KitDep, _: Readers) -> dict[str, Any]:
    return await service.get(kit, part_no)


@router.get("/{part_no}/movements", response_model=Page[Movement], responses={404: {}})
async def list_part_movements(
    part_no: PartNo,
    kit: KitDep,
    _: Readers,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The part's ledger, newest first: what moved, at what cost, from which source, by whom."""
    items, next_cursor = await service.movements(kit, part_no, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}
