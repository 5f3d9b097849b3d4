from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Integer, VinFilter
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from aftersales.reminders import service

router = APIRouter(prefix="/api/v1", tags=["maintenance reminders"])
Staff = Allowed(Permission.FOLLOW_UPS_READ)
Callers = Allowed(Permission.REMINDERS_WRITE)
ServiceManager = Allowed(Permission.SERVICE_INTERVALS_WRITE)


class ReminderOut(BaseModel):
    id: str
    vin: str
    kind: Literal["before", "due"]
    due_date: date
    remind_on: date
    status: Literal["open", "done", "closed"]
    result: str | None = None
    result_notes: str | None = None


class ResultIn(BaseModel):
    result: Literal["booked", "will_come", "declined", "no_answer", "sold_car", "other"]
    notes: Annotated[str, Field(max_length=2000)] = ""


class Reminders(BaseModel):
    items: list[ReminderOut]
    next_cursor: str | None = None


class IntervalIn(BaseModel):
    months: Annotated[Integer, Field(ge=1, le=60)]
    km: Annotated[Integer, Field(ge=500, le=100_000)]


class Interval(IntervalIn):
    model: str


@router.get("/reminders", response_model=Reminders)
async def list_reminders(kit: KitDep, _: Staff, vin: Annotated[VinFilter, Query()]) -> Reminders:
    return Reminders(items=[ReminderOut.model_validate(r) for r in await service.list_for(kit, vin)])


@router.post("/reminders/{reminder_id}/result", response_model=ReminderOut, responses={404: {}, 409: {}})
async def record_result(reminder_id: str, body: ResultIn, kit: KitDep, principal: Callers) -> dict[str, Any]:
    return await service.record_result(kit, reminder_id, body.result, body.notes, by=principal.username)


@router.put("/service-intervals/{model}", response_model=Interval)
async def set_service_interval(model: str, body: IntervalIn, kit: KitDep, principal: ServiceManager) -> dict[str, Any]:
    return await service.set_interval(kit, model, body.months, body.km, by=principal.username)
