from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fours_contracts import Day
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from gateway.calendar import service
from gateway.routing.service import Caller, outgoing_headers

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"])
Keeper = Allowed(Permission.CALENDAR_WRITE)
Year = Annotated[int, Path(ge=2000, le=2100, examples=[2027])]


class CalendarIn(BaseModel):
    holidays: Annotated[list[Day], Field(max_length=366, examples=[["2027-01-01", "2027-02-06"]])]
    working_days: Annotated[list[Day], Field(max_length=366, examples=[["2027-02-14"]])]
    source: Annotated[str, Field(min_length=1, max_length=500, examples=["国务院办公厅关于2027年部分节假日安排的通知"])]


class CalendarDay(BaseModel):
    date: date
    from_: Literal["library", "store"] = Field(alias="from", serialization_alias="from")
    name: str | None = None


class ServiceCopy(BaseModel):
    available: bool
    entered: bool | None = None
    source: str | None = None
    updated_at: datetime | None = None
    """When the store entered the copy this service holds (the latest one, once it arrived)."""
    applied_at: datetime | None = None
    moved: int | None = None
    """Open deadlines (follow-up calls…) this service moved when the entry arrived."""
    complete: bool | None = None


class Calendar(BaseModel):
    year: int
    complete: bool
    """The year's working days are known: entered by the store, or in the library with its adjusted days."""
    library_knows_adjustments: bool
    source: str | None
    entered_by: str | None
    entered_at: datetime | None
    holidays: list[CalendarDay]
    """Weekdays off."""
    working_days: list[CalendarDay]
    """Weekend days worked (调休)."""
    services: dict[str, ServiceCopy]
    """Each service's copy, for a caller who keeps the calendar."""


@router.put("/{year}", response_model=Calendar, response_model_by_alias=True, responses={403: {}, 422: {}})
async def enter_calendar(
    year: Year, body: CalendarIn, request: Request, kit: KitDep, caller: Caller, principal: Keeper
) -> dict[str, Any]:
    """The year's schedule as the State Council published it (放假安排, with the 调休 working weekends):
    on the days listed the store's calendar wins over the library's; every service moves its open
    deadlines to it (``services`` in ``GET`` tells, per service, when it arrived and how many moved)."""
    await service.enter(kit, year, body.model_dump(), by=principal.username)
    return await get_calendar(year, request, kit, caller)


@router.get("/{year}", response_model=Calendar, response_model_by_alias=True)
async def get_calendar(year: Year, request: Request, kit: KitDep, _: Caller) -> dict[str, Any]:
    headers = outgoing_headers(request.scope["headers"], request.state.forward_authorization)
    return await service.effective(kit, year, headers=headers)
