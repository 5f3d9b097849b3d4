from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Vin
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.quality import service

router = APIRouter(prefix="/api/v1/quality-feedback", tags=["quality feedback"])
Staff = Allowed(Permission.QUALITY_WRITE)


class FeedbackIn(BaseModel):
    vin: Vin
    repair_order_id: str | None = None
    system: Annotated[str, Field(min_length=1, max_length=100, examples=["gearbox"])]
    description: Annotated[str, Field(min_length=1, max_length=4000)]
    severity: Literal["low", "medium", "high", "safety"]


class ReportIn(BaseModel):
    oem_reference: Annotated[str, Field(min_length=1, max_length=100)]


class Feedback(FeedbackIn):
    id: str
    status: Literal["open", "reported"]
    oem_reference: str | None
    reported_at: datetime | None
    created_at: datetime


@router.post("", status_code=201, response_model=Feedback)
async def record(body: FeedbackIn, kit: KitDep, principal: Staff) -> dict[str, Any]:
    return await service.record(kit, body.model_dump(), by=principal.username)


@router.get("", response_model=Page[Feedback])
async def list_feedback(
    kit: KitDep,
    _: Staff,
    status: Literal["open", "reported"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Cursor = None,
) -> Page[Feedback]:
    items, next_cursor = await service.search(kit, status=status, limit=limit, cursor=cursor)
    return Page[Feedback](items=[Feedback.model_validate(i) for i in items], next_cursor=next_cursor)


@router.post("/{feedback_id}/report", response_model=Feedback, responses={404: {}, 409: {}})
async def mark_reported(feedback_id: str, body: ReportIn, kit: KitDep, _: Staff) -> dict[str, Any]:
    return await service.mark_reported(kit, feedback_id, body.oem_reference)
