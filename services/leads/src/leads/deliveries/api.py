from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse
from fours_contracts import Grade, Instant, Mobile, NonNegativeMoney, PositiveMoney, Vin
from fours_contracts.events import Channel, Coverage
from pydantic import BaseModel, Field, model_validator
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from leads.deliveries import service

router = APIRouter(prefix="/api/v1/deliveries", tags=["deliveries"])
Sales = Allowed(Permission.DELIVERIES_WRITE)
Amount = NonNegativeMoney
Text = Annotated[str, Field(min_length=1, max_length=100)]


class BuyerIn(BaseModel):
    name: Text
    mobile: Mobile


class LoanIn(BaseModel):
    bank: Text
    handling_fee: Amount


class InsuranceIn(BaseModel):
    insurer: Text
    coverages: Annotated[list[Coverage], Field(min_length=1, max_length=6)]


class AccessoriesIn(BaseModel):
    price: Amount
    cost: Amount


class TradeInIn(BaseModel):
    vin: Vin
    model: Text | None = None
    price: PositiveMoney


class DeliveryIn(BaseModel):
    """With ``order_id`` the handover takes its facts from the order (car, buyer, consultant, price,
    loan, insurance, accessories); without it every fact is given (imports of past sales)."""

    order_id: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    vin: Vin | None = None
    customer: BuyerIn | None = None
    consultant_no: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")] = None
    model: Text | None = None
    grade: Grade | None = None
    price: PositiveMoney | None = None
    floor_price: PositiveMoney | None = None
    channel: Channel | None = None
    loan: LoanIn | None = None
    insurance: InsuranceIn | None = None
    accessories: AccessoriesIn | None = None
    plate_fee: NonNegativeMoney | None = None
    """The plate registration the store did for the buyer (上牌), when it did."""
    trade_in: TradeInIn | None = None
    """The buyer's used car the store took in with the sale (二手车置换)."""
    delivered_at: Instant
    loan_override_reason: Annotated[str | None, Field(min_length=1, max_length=500)] = None
    """FIN-3: the sales manager hands over a financed car before the lender approved, and says why
    (without it such a handover is 409 ``loan_not_approved``)."""

    @model_validator(mode="after")
    def _facts_or_order(self) -> "DeliveryIn":
        if self.order_id is None:
            missing = [f for f in _REQUIRED_WITHOUT_ORDER if getattr(self, f) is None]
            if missing:
                raise ValueError(f"without order_id these are required: {', '.join(missing)}")
        return self


_REQUIRED_WITHOUT_ORDER = ("vin", "customer", "consultant_no", "model", "grade", "price", "floor_price", "channel")


class Delivery(BaseModel):
    delivery_id: str
    status: Literal["delivered", "cancelled"]
    vin: str
    customer_id: str
    consultant_no: str
    channel: str
    model: str
    grade: str
    price: Decimal
    floor_price: Decimal
    loan: dict[str, Any] | None
    insurance: dict[str, Any] | None
    accessories: dict[str, Any] | None
    delivered_at: datetime
    delivered_event_id: str
    order_id: str | None = None
    plate_fee: Decimal | None = None
    trade_in: dict[str, Any] | None = None
    loan_override_reason: str | None = None
    loan_override_by: str | None = None
    settled_at: datetime | None = None
    """When the consultant completed the sale's settlement (PAY-9: the 2013 scheme pays from then on)."""
    cancel_reason: str | None = None
    cancelled_at: datetime | None = None
    version: int


class SettleIn(BaseModel):
    settled_at: Instant


class CancelDeliveryIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


def _render(view: dict[str, Any]) -> dict[str, Any]:
    return Delivery.model_validate(view).model_dump(mode="json")


@router.post("", status_code=201, response_model=Delivery, responses={404: {}, 409: {}, 422: {}})
async def record_delivery(
    body: DeliveryIn,
    kit: KitDep,
    principal: Sales,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    status, payload = await service.record(
        kit,
        body.model_dump(exclude_none=body.order_id is not None),
        by=principal,
        idempotency_key=idempotency_key,
    )
    return JSONResponse(_render(payload), status_code=status)


@router.post("/{delivery_id}/settle", response_model=Delivery, responses={403: {}, 404: {}, 409: {}, 422: {}})
async def settle_delivery(delivery_id: str, body: SettleIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    """The sale's settlement is complete (完成车辆的结算工作): publishes *vehicle settled*."""
    return _render(await service.settle(kit, delivery_id, body.settled_at, by=principal))


@router.post("/{delivery_id}/cancel", response_model=Delivery, responses={404: {}, 409: {}})
async def cancel_delivery(delivery_id: str, body: CancelDeliveryIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return _render(await service.cancel(kit, delivery_id, body.reason, by=principal))


class Deliveries(BaseModel):
    items: list[Delivery]
    next_cursor: str | None = None


@router.get("", response_model=Deliveries)
async def list_deliveries(
    kit: KitDep, principal: Sales, customer_id: Annotated[str, Query(min_length=1, max_length=64)]
) -> dict[str, Any]:
    return {"items": [_render(d) for d in await service.of_customer(kit, customer_id, by=principal)]}


@router.get("/{delivery_id}", response_model=Delivery, responses={404: {}})
async def get_delivery(delivery_id: str, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return _render(await service.get(kit, delivery_id, by=principal))
