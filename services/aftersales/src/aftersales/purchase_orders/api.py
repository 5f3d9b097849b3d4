from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fours_contracts import NonNegativeMoney
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.concurrency import IfMatch
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.purchase_orders import rules, service

router = APIRouter(prefix="/api/v1/purchase-orders", tags=["purchase orders"])
Buyers = Allowed(Permission.PARTS_PURCHASE)
Keepers = Allowed(Permission.PARTS_WRITE)
Readers = Allowed(Permission.PARTS_READ)
PartNo = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,39}$")]
Quantity = Annotated[Decimal, Decimals(gt=0, le=100_000, digits=12)]


class OrderLineIn(BaseModel):
    part_no: PartNo
    qty: Quantity
    unit_cost: NonNegativeMoney | None = None
    """Left out, the catalogue's cost."""


class PurchaseOrderIn(BaseModel):
    supplier: Annotated[str, Field(min_length=1, max_length=200, examples=["主机厂配件中心"])]
    kind: rules.Kind = "stock"
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=500)]
    note: Annotated[str, Field(max_length=1000)] | None = None


class OrderLine(BaseModel):
    id: str
    part_no: str
    qty: Decimal
    unit_cost: Decimal
    received: Decimal
    open: Decimal


class PurchaseOrder(BaseModel):
    id: str
    supplier: str
    kind: rules.Kind
    state: rules.State
    note: str | None
    lines: list[OrderLine]
    total_cost: Decimal
    allowed_transitions: list[str]
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    version: int


class PurchaseOrderMove(BaseModel):
    to: Literal["submitted", "cancelled"]


class ReceiptLine(BaseModel):
    part_no: PartNo
    qty: Quantity


class ReceiptIn(BaseModel):
    lines: Annotated[list[ReceiptLine], Field(min_length=1, max_length=500)]


@router.post("", status_code=201, response_model=PurchaseOrder, responses={422: {}})
async def create_purchase_order(body: PurchaseOrderIn, kit: KitDep, principal: Buyers) -> dict[str, Any]:
    return await service.create(kit, body.model_dump(), by=principal.username)


@router.get("", response_model=Page[PurchaseOrder])
async def list_purchase_orders(
    kit: KitDep,
    _: Readers,
    state: rules.State | None = None,
    supplier: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    items, next_cursor = await service.search(kit, state=state, supplier=supplier, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{order_id}", response_model=PurchaseOrder, responses={404: {}})
async def get_purchase_order(order_id: str, kit: KitDep, _: Readers) -> dict[str, Any]:
    return await service.get(kit, order_id)


@router.post("/{order_id}/transitions", response_model=PurchaseOrder, responses={404: {}, 409: {}, 412: {}})
async def move_purchase_order(
    order_id: str, body: PurchaseOrderMove, kit: KitDep, principal: Buyers, if_match: IfMatch = None
) -> dict[str, Any]:
    """draft → submitted (its quantities go on order) · → cancelled (what is still open comes off)."""
    return await service.move(kit, order_id, body.to, by=principal.username, if_match=if_match)


@router.post("/{order_id}/receipts", response_model=PurchaseOrder, responses={404: {}, 409: {}, 422: {}})
async def receive_goods(
    order_id: str,
    body: ReceiptIn,
    kit: KitDep,
    principal: Keepers,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    """Goods in (in part or whole): stock and its average cost up, waiting repair orders served oldest
    first; more than is open is 409, as is a receipt on an order not submitted."""
    return await service.receive(
        kit, order_id, body.model_dump()["lines"], by=principal.username, idempotency_key=idempotency_key
    )
