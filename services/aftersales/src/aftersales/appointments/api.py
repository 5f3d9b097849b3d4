from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Day, Instant, Mobile, ServiceType, Vin
from pydantic import BaseModel, Field
from servicekit.concurrency import IfMatch
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from aftersales.appointments import rules, service

router = APIRouter(prefix="/api/v1/appointments", tags=["appointments"])
Staff = Allowed(Permission.APPOINTMENTS_WRITE)


class AppointmentIn(BaseModel):
    vin: Vin
    advisor_no: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    starts_at: Instant
    channel: Literal["phone", "app", "walk_in", "online"]
    service_type: ServiceType
    customer_name: Annotated[str | None, Field(max_length=100)] = None
    customer_mobile: Mobile | None = None
    notes: Annotated[str, Field(max_length=2000)] = ""


class RescheduleIn(BaseModel):
    starts_at: Instant


class Appointment(BaseModel):
    id: str
    vin: str
    advisor_no: str
    starts_at: datetime
    channel: str
    service_type: str
    customer_name: str | None
    customer_mobile: str | None
    notes: str
    status: rules.Status
    version: int


class Slot(BaseModel):
    starts_at: datetime
    booked: int
    free_bays: int
    busy_advisors: list[str]


class DayPlan(BaseModel):
    day: date
    slots: list[Slot]
    items: list[Appointment]


@router.post("", status_code=201, response_model=Appointment, responses={409: {}, 422: {}})
async def book_appointment(body: AppointmentIn, kit: KitDep, principal: Staff) -> dict[str, Any]:
    return await service.book(kit, body.model_dump(), by=principal)


@router.get("", response_model=DayPlan)
async def day_plan(
    kit: KitDep, _: Staff, day: Day, advisor_no: Annotated[str | None, Query(max_length=32)] = None
) -> dict[str, Any]:
    return await service.day_plan(kit, day, advisor_no)


@router.post("/{appointment_id}/reschedule", response_model=Appointment, responses={404: {}, 409: {}, 412: {}, 422: {}})
async def reschedule(
    appointment_id: str, body: RescheduleIn, kit: KitDep, _: Staff, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.reschedule(kit, appointment_id, body.starts_at, if_match=if_match)


@router.post("/{appointment_id}/{action}", response_model=Appointment, responses={404: {}, 409: {}, 412: {}})
async def change_appointment(
    appointment_id: str, action: Literal["arrive", "no-show", "cancel"], kit: KitDep, _: Staff, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.act(kit, appointment_id, action.replace("-", "_"), if_match=if_match)
