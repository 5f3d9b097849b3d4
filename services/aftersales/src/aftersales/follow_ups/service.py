import uuid
from datetime import UTC, date, datetime
from typing import Any

from servicekit.calendar import business_date
from servicekit.kit import Kit
from servicekit.pagination import decode_cursor, page_of
from sqlalchemy import select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.follow_ups import rules
from aftersales.follow_ups.tables import follow_ups


async def open_call(
    session: AsyncSession,
    *,
    kind: str,
    vin: str,
    source_id: str,
    source_event_id: str,
    handed_over_at: datetime,
) -> None:
    await session.execute(
        insert(follow_ups)
        .values(
            id=str(uuid.uuid4()),
            kind=kind,
            vin=vin,
            source_id=source_id,
            source_event_id=source_event_id,
            handed_over_at=handed_over_at,
            due_date=rules.follow_up_due_date(handed_over_at),
        )
        .on_conflict_do_nothing(constraint="follow_ups_once_per_handover")
    )


async def cancel_call(session: AsyncSession, *, kind: str, source_id: str) -> None:
    await session.execute(
        update(follow_ups)
        .where(follow_ups.c.kind == kind, follow_ups.c.source_id == source_id, follow_ups.c.status == "open")
        .values(status="cancelled")
    )


async def search(
    kit: Kit, *, vin: str | None, status: str | None, due_by: date | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    query = select(follow_ups).order_by(follow_ups.c.due_date, follow_ups.c.id).limit(limit + 1)
    if vin:
        query = query.where(follow_ups.c.vin == vin.strip().upper())
    if status:
        query = query.where(follow_ups.c.status == status)
    if due_by:
        query = query.where(follow_ups.c.due_date <= due_by)
    after = decode_cursor(cursor)
    if after:
        query = query.where(tuple_(follow_ups.c.due_date, follow_ups.c.id) > (date.fromisoformat(after[0]), after[1]))
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    page, next_cursor = page_of(list(rows), limit, lambda r: [r.due_date.isoformat(), r.id])
    today = business_date(datetime.now(UTC))
    return [{**r._mapping, "overdue": rules.is_overdue(r.due_date, r.status, today)} for r in page], next_cursor
