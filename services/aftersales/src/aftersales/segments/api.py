from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.segments import rules, service

router = APIRouter(prefix="/api/v1/segments", tags=["segments"])
Readers = Allowed(Permission.SEGMENTS_READ)


class Member(BaseModel):
    vin: str
    model: str
    owner_name: str
    owner_mobile: str
    segment: str
    segment_at: datetime | None


@router.get("/{segment}/vehicles", response_model=Page[Member])
async def segment_members(
    segment: rules.Segment,
    kit: KitDep,
    _: Readers,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Cursor = None,
) -> Page[Member]:
    items, next_cursor = await service.members(kit, segment, limit=limit, cursor=cursor)
    return Page[Member](items=[Member.model_validate(i) for i in items], next_cursor=next_cursor)
