from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from aftersales.owners import service

router = APIRouter(prefix="/api/v1/owners", tags=["customer 360"])
Staff = Allowed(Permission.VEHICLES_READ)


class OwnedVehicle(BaseModel):
    vin: str
    model: str
    origin: str
    sold_status: str
    delivered_at: datetime | None
    segment: str | None


class OrderSummary(BaseModel):
    id: str
    vin: str
    type: str
    state: str
    mileage_km: int
    opened_at: datetime
    handed_over_at: datetime | None
    advisor_no: str


class CallSummary(BaseModel):
    id: str
    kind: str
    vin: str
    due_date: date
    status: str
    scores: dict[str, int] | None


class ComplaintSummary(BaseModel):
    id: str
    vin: str | None
    severity: str
    state: str
    created_at: datetime


class OwnerSummary(BaseModel):
    customer_id: str
    vehicles: list[OwnedVehicle]
    repair_orders: list[OrderSummary]
    follow_ups: list[CallSummary]
    complaints: list[ComplaintSummary]


@router.get("/{customer_id}/summary", response_model=OwnerSummary)
async def owner_summary(customer_id: str, kit: KitDep, principal: Staff) -> dict[str, Any]:
    return await service.summary(kit, customer_id, by=principal)
