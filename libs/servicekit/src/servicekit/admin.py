"""Admin endpoints every service has: list parked events and replay them; the calendar copy it keeps."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel
from sqlalchemy import func, select, update

from servicekit import store_calendar
from servicekit.auth import Principal
from servicekit.consumer import replay
from servicekit.errors import Conflict, NotFound
from servicekit.kit import KitDep
from servicekit.pagination import Page, decode_cursor, page_of
from servicekit.permissions import Permission, require
from servicekit.tables import dead_letters

router = APIRouter(prefix="/admin", tags=["admin"])
Admin = Annotated[Principal, Depends(require(Permission.ADMIN))]
CalendarKeeper = Annotated[Principal, Depends(require(Permission.CALENDAR_WRITE))]


class DeadLetter(BaseModel):
    id: int
    topic: str
    partition: int
    offset: int
    event_id: str | None
    event_type: str | None
    key: str | None
    error: str
    attempts: int
    status: str
    payload: str
    created_at: Any
    replayed_at: Any | None


class ReplayRequest(BaseModel):
    data: dict[str, Any] | None = None
    """Corrected event data; when absent the stored data is replayed as it is."""


@router.get("/dead-letters", response_model=Page[DeadLetter])
async def list_dead_letters(
    kit: KitDep,
    _: Admin,
    status: Annotated[str | None, Query(pattern="^(parked|replayed)$")] = "parked",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> Page[DeadLetter]:
    query = select(dead_letters).order_by(dead_letters.c.id).limit(limit + 1)
    if status:
        query = query.where(dead_letters.c.status == status)
    after = decode_cursor(cursor)
    if after:
        query = query.where(dead_letters.c.id > int(after[0]))
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    items, next_cursor = page_of(list(rows), limit, lambda r: [r.id])
    return Page[DeadLetter](items=[DeadLetter.model_validate(r._mapping) for r in items], next_cursor=next_cursor)


@router.post("/dead-letters/{dead_letter_id}/replay")
async def replay_dead_letter(
    dead_letter_id: int, kit: KitDep, _: Admin, body: Annotated[ReplayRequest | None, Body()] = None
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (await session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))).first()
    if row is None:
        raise NotFound(f"dead letter {dead_letter_id} not found")
    if row.status != "parked":
        raise Conflict(f"dead letter {dead_letter_id} was already replayed")
    if kit.consumer is None:
        raise Conflict("this service consumes no events")
    try:
        processed = await replay(kit.consumer, row, body.data if body else None)
    except Exception as exc:
        async with kit.db.transaction() as session:
            await session.execute(
                update(dead_letters)
                .where(dead_letters.c.id == dead_letter_id)
                .values(attempts=dead_letters.c.attempts + 1, error=f"{type(exc).__name__}: {exc}"[:4000])
            )
        raise Conflict(f"replay failed again: {type(exc).__name__}: {exc}"[:1000], code="replay-failed") from exc
    async with kit.db.transaction() as session:
        await session.execute(
            update(dead_letters)
            .where(dead_letters.c.id == dead_letter_id)
            .values(status="replayed", replayed_at=func.now())
        )
    return {"id": dead_letter_id, "status": "replayed", "processed": processed}


@router.get("/calendar/{year}")
async def calendar_copy(year: Annotated[int, Path(ge=2000, le=2100)], kit: KitDep, _: CalendarKeeper) -> dict[str, Any]:
    """The store's calendar of ``year`` as this service holds it, and how many open deadlines it moved."""
    async with kit.db.transaction() as session:
        return await store_calendar.copy_of(session, year)
