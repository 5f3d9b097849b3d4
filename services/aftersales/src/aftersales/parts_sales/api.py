from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fours_contracts import Instant, Mobile, NonNegativeMoney
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.calendar import midnight
from servicekit.errors import Unprocessable, field_error
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.parts_sales import service

router = APIRouter(prefix="/api/v1/parts-sales", tags=["parts sales"])
Keepers = Allowed(Permission.PARTS_WRITE)
Readers = Allowed(Permission.PARTS_READ)


class SaleLineIn(BaseModel):
    part_no: Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,39}$")]
    qty: Annotated[Decimal, Decimals(gt=0, le=100_000, digits=12)]
    unit_price: NonNegativeMoney | None = None
    """Left out, the catalogue's price."""


class PartsSaleIn(BaseModel):
    buyer: Annotated[str, Field(min_length=1, max_length=200, examples=["路边快修店"])]
    mobile: Mobile | None = None
    lines: Annotated[list[SaleLineIn], Field(min_length=1, max_length=200)]
    sold_at: Instant | None = None
    """When it was sold, if not now (a sale entered afterwards); its month is the sale's month (PAY-10)."""


class SaleLine(BaseModel):
    id: str
    part_no: str
    category: str
    qty: Decimal
    unit_price: Decimal
    unit_cost: Decimal
    amount: Decimal


class PartsSale(BaseModel):
    id: str
    buyer: str
    mobile: str | None
    sold_by: str
    sold_at: datetime
    lines: list[SaleLine]
    amount: Decimal
    cost: Decimal
    margin: Decimal


@router.post("", status_code=201, response_model=PartsSale, responses={409: {}, 422: {}})
async def sell_parts(
    body: PartsSaleIn,
    kit: KitDep,
    principal: Keepers,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    """A counter sale: every line from available stock (409 ``insufficient_stock`` otherwise)."""
    return await service.sell(kit, body.model_dump(), by=principal.username, idempotency_key=idempotency_key)


@router.get("", response_model=Page[PartsSale], responses={422: {}})
async def list_parts_sales(
    kit: KitDep,
    _: Readers,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Counter sales, newest first; ``from``..``to`` are days in Shanghai, inclusive."""
    if from_ and to and to < from_:
        raise Unprocessable("the period runs forwards", errors=[field_error("to", "before from")])
    since = midnight(from_) if from_ else None
    until = midnight(to + timedelta(days=1)) if to else None
    items, next_cursor = await service.search(kit, since=since, until=until, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{sale_id}", response_model=PartsSale, responses={404: {}})
async def get_parts_sale(sale_id: str, kit: KitDep, _: Readers) -> dict[str, Any]:
    return await service.get(kit, sale_id)
