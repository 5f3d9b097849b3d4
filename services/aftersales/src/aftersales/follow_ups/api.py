from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Day, Integer, VinFilter
from pydantic import BaseModel, Field, StrictBool, model_validator
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.complaints import rules as complaint_rules
from aftersales.follow_ups import service

router = APIRouter(prefix="/api/v1/follow-ups", tags=["follow-ups"])
Staff = Allowed(Permission.FOLLOW_UPS_READ)


CallStatus = Literal["open", "done", "unreachable", "cancelled"]


class FollowUp(BaseModel):
    id: str
    kind: Literal["delivery", "service"]
    vin: str
    model: str | None = None
    owner_name: str | None = None
    owner_mobile: str | None = None
    """Whom to call (in lists)."""
    owner_customer_id: str | None = None
    """The owner's customer (to their 360), for a car sold here; none for a walk-in."""
    source_id: str
    handed_over_at: datetime
    due_date: date
    status: CallStatus
    overdue: bool
    staff_no: str | None = None
    attempts: int = 0
    outcome: str | None = None
    scores: dict[str, int] | None = None
    comments: str | None = None
    called_at: datetime | None = None
    complaint_id: str | None = None


class AttemptIn(BaseModel):
    outcome: Literal["reached", "no_answer"]
    scores: Annotated[
        dict[Annotated[str, Field(min_length=1, max_length=40)], Annotated[Integer, Field(ge=1, le=10)]],
        Field(max_length=20),
    ] = {}
    comments: Annotated[str, Field(max_length=4000)] = ""
    unhappy: StrictBool = False
    severity: complaint_rules.Severity = "minor"
    """Severity of the complaint an unhappy answer opens."""

    @model_validator(mode="after")
    def _answers_only_when_reached(self) -> "AttemptIn":
        if self.outcome == "reached" and not self.scores:
            raise ValueError("a reached customer's satisfaction scores (1-10 per question) are required")
        if self.outcome == "no_answer" and (self.scores or self.comments):
            raise ValueError("no answers are recorded for an unanswered call")
        return self


class StaffFigures(BaseModel):
    calls: int
    reached: int
    reach_rate: float | None
    on_time_rate: float | None
    average_satisfaction: float | None


class MonthlySummary(StaffFigures):
    month: str
    by_staff: dict[str, StaffFigures]


@router.get("", response_model=Page[FollowUp])
async def list_follow_ups(
    kit: KitDep,
    _: Staff,
    vin: Annotated[VinFilter | None, Query()] = None,
    status: CallStatus | None = None,
    due_by: Day | None = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> Page[FollowUp]:
    items, next_cursor = await service.search(
        kit, vin=vin, status=status, due_by=due_by, overdue=overdue, limit=limit, cursor=cursor
    )
    return Page[FollowUp](items=[FollowUp.model_validate(i) for i in items], next_cursor=next_cursor)


Callers = Allowed(Permission.FOLLOW_UPS_CALL)
Readers = Allowed(Permission.AFTERSALES_REPORTS)
reports = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.post("/{call_id}/attempts", response_model=FollowUp, responses={404: {}, 409: {}, 422: {}})
async def record_attempt(call_id: str, body: AttemptIn, kit: KitDep, principal: Callers) -> dict[str, Any]:
    return await service.record_attempt(kit, call_id, body.model_dump(), by=principal)


@reports.get("/follow-ups", response_model=MonthlySummary)
async def follow_up_summary(
    kit: KitDep,
    _: Readers,
    month: Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2026-11"])],
) -> dict[str, Any]:
    return await service.monthly_summary(kit, month)
