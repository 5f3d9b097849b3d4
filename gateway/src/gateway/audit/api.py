from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fours_contracts import Instant
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from gateway.audit import service

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
GeneralManager = Allowed(Permission.ADMIN)


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    actor_kind: str
    role: str | None
    method: str
    path: str
    status: int
    request_id: str | None


@router.get("", response_model=Page[AuditEntry])
async def audit(
    kit: KitDep,
    _: GeneralManager,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    since: Instant | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Cursor = None,
) -> Page[AuditEntry]:
    items, next_cursor = await service.search(kit, actor=actor, since=since, limit=limit, cursor=cursor)
    return Page[AuditEntry](items=[AuditEntry.model_validate(i) for i in items], next_cursor=next_cursor)
