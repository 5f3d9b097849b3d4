from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.concurrency import IfMatch
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.stock_counts import rules, service

router = APIRouter(prefix="/api/v1/stock-counts", tags=["stock counts"])
Keepers = Allowed(Permission.PARTS_WRITE)
Approvers = Allowed(Permission.PARTS_APPROVE)


class CountLineIn(BaseModel):
    part_no: Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,39}$")]
    counted: Annotated[Decimal, Decimals(ge=0, le=1_000_000, digits=12)]


class StockCountIn(BaseModel):
    lines: Annotated[list[CountLineIn], Field(min_length=1, max_length=5000)]
    note: Annotated[str, Field(max_length=1000)] | None = None


class CountLine(BaseModel):
    id: str
    part_no: str
    expected: Decimal
    counted: Decimal
    variance: Decimal
    avg_cost: Decimal
    variance_value: Decimal


class StockCount(BaseModel):
    id: str
    state: rules.State
    note: str | None
    counted_by: str
    counted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    lines: list[CountLine]
    variance_value: Decimal
    """The count's net variance in money: found less missing, at the average cost."""
    allowed_transitions: list[str]
    version: int


class StockCountMove(BaseModel):
    to: Literal["approved", "rejected"]


@router.post("", status_code=201, response_model=StockCount, responses={422: {}})
async def count_stock(body: StockCountIn, kit: KitDep, principal: Keepers) -> dict[str, Any]:
    """A count (盘点): each part against the books, the variance in units and money; nothing is booked
    until the parts manager approves."""
    return await service.count(kit, body.model_dump(), by=principal.username)


@router.get("", response_model=Page[StockCount])
async def list_stock_counts(
    kit: KitDep,
    _: Keepers,
    state: rules.State | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The counts, newest first (``?state=counted``: those waiting for the parts manager)."""
    items, next_cursor = await service.search(kit, state=state, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{count_id}", response_model=StockCount, responses={404: {}})
async def get_stock_count(count_id: str, kit: KitDep, _: Keepers) -> dict[str, Any]:
    return await service.get(kit, count_id)


@router.post("/{count_id}/transitions", response_model=StockCount, responses={404: {}, 409: {}, 412: {}})
async def decide_stock_count(
    count_id: str, body: StockCountMove, kit: KitDep, principal: Approvers, if_match: IfMatch = None
) -> dict[str, Any]:
    """approved: the variances booked as adjustments; rejected: nothing booked."""
    return await service.decide(kit, count_id, body.to, by=principal.username, if_match=if_match)
