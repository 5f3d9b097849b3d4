from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Day, Instant, Vin, VinFilter
from pydantic import BaseModel, Field, StrictBool, WithJsonSchema
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from leads.test_drives import rules, service

router = APIRouter(prefix="/api/v1", tags=["test drives"])
Sales = Allowed(Permission.LEADS_WRITE)
Keeper = Allowed(Permission.STOCK_WRITE)
Route = Literal[rules.ROUTES]  # type: ignore[valid-type]


class CarIn(BaseModel):
    vin: Vin
    model: Annotated[str, Field(min_length=1, max_length=100)]
    plate: Annotated[str | None, Field(max_length=20)] = None
    active: StrictBool = True


class Car(BaseModel):
    vin: str
    model: str
    plate: str | None
    active: bool


class BookingIn(BaseModel):
    car_vin: Vin
    slot_start: Instant = Field(description=f"on a {rules.SLOT_MINUTES}-minute slot boundary, opening hours")
    customer_id: Annotated[str, Field(min_length=1, max_length=64)]
    lead_id: Annotated[str | None, Field(max_length=64)] = None
    consultant_no: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")] = None


class DoneIn(BaseModel):
    agreement_signed: Annotated[
        StrictBool,
        WithJsonSchema(
            {"type": "boolean", "const": True, "description": "the customer signed the test-drive agreement"}
        ),
    ]
    route: Route
    outcome: Annotated[str, Field(min_length=1, max_length=500)]


class CancelTestDriveIn(BaseModel):
    status: Literal["cancelled", "no_show"] = "cancelled"


class Booking(BaseModel):
    id: str
    car_vin: str
    slot_start: datetime
    slot_minutes: int
    customer_id: str
    lead_id: str | None
    consultant_no: str
    status: Literal["booked", "done", "cancelled", "no_show"]
    agreement_signed: bool
    route: str | None
    outcome: str | None
    driven_at: datetime | None


@router.put("/test-drive-cars/{vin}", response_model=Car, responses={403: {}, 422: {}})
async def put_car(vin: Vin, body: CarIn, kit: KitDep, principal: Keeper) -> dict[str, Any]:
    """A dedicated test-drive car (``active: false`` takes it out of the fleet)."""
    return await service.add_car(kit, {**body.model_dump(), "vin": body.vin})


@router.get("/test-drive-cars", response_model=list[Car])
async def list_cars(kit: KitDep, principal: Sales) -> list[dict[str, Any]]:
    return await service.cars(kit)


@router.post("/test-drives", status_code=201, response_model=Booking, responses={403: {}, 409: {}, 422: {}})
async def book_test_drive(body: BookingIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    """Book a car for a slot; the slot already taken → 409."""
    return await service.book(kit, body.model_dump(), by=principal)


class Slots(BaseModel):
    day: date
    slot_minutes: int
    slots: list[datetime]
    """Each bookable slot's start (LEAD-6: fixed blocks within opening hours)."""


@router.get("/test-drive-slots", response_model=Slots)
async def slots(day: Day, _: Sales) -> dict[str, Any]:
    """The day's bookable test-drive slots, for a calendar of cars by slot."""
    return {"day": day, "slot_minutes": rules.SLOT_MINUTES, "slots": rules.slots_of(day)}


@router.get("/test-drives", response_model=list[Booking])
async def day_schedule(
    kit: KitDep, principal: Sales, day: Day, car_vin: Annotated[VinFilter | None, Query()] = None
) -> list[dict[str, Any]]:
    return await service.schedule(kit, day, car_vin=car_vin, by=principal)


@router.post(
    "/test-drives/{booking_id}/complete", response_model=Booking, responses={403: {}, 404: {}, 409: {}, 422: {}}
)
async def complete(booking_id: str, body: DoneIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    """Done: the signed agreement and the route are required; the lead becomes test-driven."""
    return await service.complete(kit, booking_id, body.model_dump(), by=principal)


@router.post("/test-drives/{booking_id}/cancel", response_model=Booking, responses={403: {}, 404: {}, 409: {}})
async def cancel_test_drive(booking_id: str, body: CancelTestDriveIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.cancel(kit, booking_id, body.status, by=principal)
