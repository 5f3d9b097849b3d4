from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import AnnualRate, Grade, Instant, NonNegativeMoney, PositiveMoney, Vin
from fours_contracts.events import Coverage
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from leads.orders import service

router = APIRouter(prefix="/api/v1", tags=["quotes and orders"])
Sales = Allowed(Permission.LEADS_WRITE)
Amount = NonNegativeMoney
Name = Annotated[str, Field(min_length=1, max_length=100)]


class AccessoryLine(BaseModel):
    name: Name
    price: Amount
    cost: Amount


class InsuranceLine(BaseModel):
    insurer: Name
    coverages: Annotated[list[Coverage], Field(min_length=1, max_length=6)]
    premium: Amount


class LoanLine(BaseModel):
    bank: Name
    amount: PositiveMoney
    handling_fee: Amount
    term_months: Annotated[int | None, Field(ge=1, le=120)] = None
    """Left out, the F&I office opens the application at 36 months."""
    annual_rate: AnnualRate | None = None
    """0.048 for 4.8 % a year, as quoted."""


class TradeInLine(BaseModel):
    """The customer's used car the store takes in with the sale (二手车置换)."""

    vin: Vin
    model: Annotated[str | None, Field(max_length=100)] = None
    price: PositiveMoney


class QuoteIn(BaseModel):
    customer_id: Annotated[str, Field(min_length=1, max_length=64)]
    lead_id: Annotated[str | None, Field(max_length=64)] = None
    consultant_no: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")] = None
    model: Name
    grade: Grade
    list_price: PositiveMoney
    price: PositiveMoney
    floor_price: Annotated[PositiveMoney, Field(description="the store's floor price (销售限价)")]
    accessories: Annotated[list[AccessoryLine], Field(max_length=50)] = []
    insurance: InsuranceLine | None = None
    loan: LoanLine | None = None
    plate_fee: Amount | None = None
    trade_in: TradeInLine | None = None


class Quote(BaseModel):
    id: str
    lead_id: str | None
    customer_id: str
    consultant_no: str
    model: str
    grade: str
    list_price: Decimal
    price: Decimal
    floor_price: Decimal
    discount: Decimal
    below_floor: bool
    accessories: list[dict[str, Any]]
    insurance: dict[str, Any] | None
    loan: dict[str, Any] | None
    plate_fee: Decimal
    trade_in: dict[str, Any] | None = None
    total: Decimal
    status: Literal["pending_approval", "open", "accepted", "declined"]
    approved_by: str | None
    approved_at: datetime | None
    created_at: datetime


class QuoteMoveIn(BaseModel):
    to: Literal["open", "accepted", "declined"] = Field(description="open = approved below the floor (sales manager)")


class OrderIn(BaseModel):
    quote_id: Annotated[str, Field(min_length=1, max_length=64)]
    deposit: PositiveMoney
    vin: Vin | None = Field(default=None, description="a stock car to reserve (or later, with PUT .../vehicle)")
    planned_handover_at: Instant | None = None


class VehicleIn(BaseModel):
    vin: Vin


class CancelOrderIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class Order(BaseModel):
    id: str
    quote_id: str
    lead_id: str | None
    customer_id: str
    consultant_no: str
    vin: str | None
    model: str
    grade: str
    price: Decimal
    floor_price: Decimal
    deposit: Decimal
    planned_handover_at: datetime | None
    status: Literal["placed", "delivered", "cancelled"]
    delivery_id: str | None
    financed: bool = False
    """Quoted with a car loan: the handover waits for the lender (FIN-3)."""
    loan_state: Literal["applied", "approved", "declined", "withdrawn", "disbursed"] | None = None
    """The loan's last step, from the F&I office."""
    loan_application_id: str | None = None
    loan_holds_handover: bool = False
    """FIN-3: a handover now is refused with ``loan_not_approved`` (a sales manager may override it)."""
    cancel_reason: str | None
    placed_at: datetime


@router.post("/quotes", status_code=201, response_model=Quote, responses={403: {}, 409: {}, 422: {}})
async def create_quote(body: QuoteIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    """Below the floor price the quote waits for the sales manager (``pending_approval``)."""
    return await service.quote(kit, body.model_dump(), by=principal)


@router.get("/quotes", response_model=Page[Quote], responses={422: {}})
async def list_quotes(
    kit: KitDep,
    principal: Sales,
    lead_id: Annotated[str | None, Query(max_length=64)] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["pending_approval", "open", "accepted", "declined"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """A lead's quotes, a customer's, or the manager's queue of those below the floor
    (``?status=pending_approval``)."""
    return await service.list_quotes(
        kit, by=principal, lead_id=lead_id, customer_id=customer_id, status=status, limit=limit, cursor=cursor
    )


@router.get("/quotes/{quote_id}", response_model=Quote, responses={403: {}, 404: {}})
async def get_quote(quote_id: str, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.get_quote(kit, quote_id, by=principal)


@router.post("/quotes/{quote_id}/transitions", response_model=Quote, responses={403: {}, 404: {}, 409: {}})
async def move_quote(quote_id: str, body: QuoteMoveIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.move_quote(kit, quote_id, body.to, by=principal)


@router.post("/orders", status_code=201, response_model=Order, responses={403: {}, 404: {}, 409: {}, 422: {}})
async def place_order(body: OrderIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    """From an accepted quote, with the deposit; a stock car named is reserved (409 if it is not free)."""
    return await service.place(kit, body.model_dump(), by=principal)


@router.get("/orders", response_model=Page[Order])
async def list_orders(
    kit: KitDep,
    principal: Sales,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["placed", "delivered", "cancelled"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return await service.list_orders(
        kit, by=principal, customer_id=customer_id, status=status, limit=limit, cursor=cursor
    )


@router.get("/orders/{order_id}", response_model=Order, responses={403: {}, 404: {}})
async def get_order(order_id: str, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.get_order(kit, order_id, by=principal)


@router.put("/orders/{order_id}/vehicle", response_model=Order, responses={403: {}, 404: {}, 409: {}})
async def assign_vehicle(order_id: str, body: VehicleIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.assign_vehicle(kit, order_id, body.vin, by=principal)


@router.post("/orders/{order_id}/cancel", response_model=Order, responses={403: {}, 404: {}, 409: {}})
async def cancel_order(order_id: str, body: CancelOrderIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.cancel_order(kit, order_id, body.reason, by=principal)
