"""AS-9 quality feedback: defects seen in the workshop, collected and reported to the manufacturer."""

import uuid
from typing import Any

from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from sqlalchemy import func, select, update

from aftersales.quality.tables import quality_feedback


async def record(kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                quality_feedback.insert()
                .values(id=str(uuid.uuid4()), created_by=by, **facts)
                .returning(*quality_feedback.c)
            )
        ).one()
    return dict(row._mapping)


async def search(
    kit: Kit, *, status: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    query = select(quality_feedback)
    if status:
        query = query.where(quality_feedback.c.status == status)
    order = (quality_feedback.c.created_at, quality_feedback.c.id)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit)
    return [dict(r._mapping) for r in page], next_cursor


async def mark_reported(kit: Kit, feedback_id: str, oem_reference: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, quality_feedback.c.id, feedback_id, "quality feedback", lock=True)
        if row.status == "reported":
            raise Conflict(f"already reported to the manufacturer as {row.oem_reference}", code="already-reported")
        row = (
            await session.execute(
                update(quality_feedback)
                .where(quality_feedback.c.id == feedback_id)
                .values(status="reported", oem_reference=oem_reference, reported_at=func.now())
                .returning(*quality_feedback.c)
            )
        ).one()
    return dict(row._mapping)
