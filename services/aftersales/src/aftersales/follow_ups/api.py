from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from servicekit.auth import Principal, require_roles
from servicekit.kit import KitDep
from servicekit.pagination import Page
from servicekit.roles import AFTERSALES_STAFF, SALES_STAFF

from aftersales.follow_ups import service

router = APIRouter(prefix="/api/v1/follow-ups", tags=["follow-ups"])
Staff = Annotated[Principal, Depends(require_roles(*AFTERSALES_STAFF, *SALES_STAFF))]


class FollowUp(BaseModel):
    id: str
    kind: Literal["delivery", "service"]
    vin: str
    source_id: str
    handed_over_at: datetime
    due_date: date
    status: Literal["open", "done", "cancelled"]
    overdue: bool


@router.get("", response_model=Page[FollowUp])
async def list_follow_ups(
    kit: KitDep,
    _: Staff,
    vin: Annotated[str | None, Query(max_length=17)] = None,
    status: Literal["open", "done", "cancelled"] | None = None,
    due_by: date | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> Page[FollowUp]:
    items, next_cursor = await service.search(kit, vin=vin, status=status, due_by=due_by, limit=limit, cursor=cursor)
    return Page[FollowUp](items=[FollowUp.model_validate(i) for i in items], next_cursor=next_cursor)
