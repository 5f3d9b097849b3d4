import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from servicekit.concurrency import check_version
from servicekit.db import row_or_404, rows_by
from servicekit.errors import Conflict
from servicekit.kit import Kit
from servicekit.pagination import fetch_views
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.parts import service as parts
from aftersales.stock_counts import rules
from aftersales.stock_counts.tables import stock_count_lines, stock_counts

SOURCE = "stock_count"


async def count(kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    """The shelf as counted, each part against what the books hold now; nothing is booked yet."""
    lines = facts.pop("lines")
    parts.check_one_line_per_part(lines, what="counted")
    async with kit.db.transaction() as session:
        count_id = str(uuid.uuid4())
        await session.execute(stock_counts.insert().values(id=count_id, counted_by=by, **facts))
        for i, line in enumerate(lines):
            part = await parts.part(session, line["part_no"], field=f"lines.{i}.part_no")
            if line["counted"] > 0:
                parts.check_quantity(part, line["counted"], field=f"lines.{i}.counted")
            await session.execute(
                stock_count_lines.insert().values(
                    id=str(uuid.uuid4()),
                    stock_count_id=count_id,
                    part_no=part.part_no,
                    expected=part.on_hand,
                    counted=line["counted"],
                    avg_cost=part.avg_cost,
                )
            )
        return await _view(session, count_id)


async def get(kit: Kit, count_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await row_or_404(session, stock_counts.c.id, count_id, "stock count")
        return await _view(session, count_id)


async def search(
    kit: Kit, *, state: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The counts, newest first."""
    order = [stock_counts.c.counted_at, stock_counts.c.id]
    query = select(stock_counts.c.id, *order[:1])
    if state:
        query = query.where(stock_counts.c.state == state)
    async with kit.db.transaction() as session:
        return await fetch_views(session, query, order, cursor, limit, _views, descending=True)


async def decide(kit: Kit, count_id: str, to: str, *, by: str, if_match: str | None) -> dict[str, Any]:
    """Approved: each variance booked as an adjustment (a shortage cannot take what repair orders
    hold: 409, and nothing is booked); rejected: nothing."""
    async with kit.db.transaction() as session:
        row = await row_or_404(session, stock_counts.c.id, count_id, "stock count", lock=True)
        check_version(row.version, if_match)
        try:
            rules.check_move(row.state, to)
        except ValueError as exc:
            raise Conflict(str(exc), code="invalid-transition", allowed=sorted(rules.MOVES[row.state])) from exc
        if to == "approved":
            for line in await _lines(session, count_id):
                change = rules.variance(line.expected, line.counted)
                if change != 0:
                    await parts.adjust(
                        session, line.part_no, change, source=(SOURCE, count_id, line.id), note="stock count", by=by
                    )
        await session.execute(
            update(stock_counts)
            .where(stock_counts.c.id == count_id)
            .values(state=to, decided_by=by, decided_at=datetime.now(UTC), version=stock_counts.c.version + 1)
        )
        return await _view(session, count_id)


async def _lines(session: AsyncConnection, count_id: str) -> list[Any]:
    query = select(stock_count_lines).where(stock_count_lines.c.stock_count_id == count_id)
    return list((await session.execute(query.order_by(stock_count_lines.c.part_no))).all())


async def _view(session: AsyncConnection, count_id: str) -> dict[str, Any]:
    return (await _views(session, [count_id]))[0]


async def _views(session: AsyncConnection, count_ids: list[str]) -> list[dict[str, Any]]:
    """The counts of ``count_ids``, in that order, each with its lines and variances: two queries
    for a whole page."""
    counts = await rows_by(session, stock_counts.c.id, count_ids)
    lines = await rows_by(session, stock_count_lines.c.stock_count_id, count_ids, order_by=stock_count_lines.c.part_no)
    return [_shape(counts[count_id][0], lines[count_id]) for count_id in count_ids]


def _shape(row: Any, found: list[Any]) -> dict[str, Any]:
    lines = [
        {
            **line._mapping,
            "variance": rules.variance(line.expected, line.counted),
            "variance_value": rules.variance_value(line.expected, line.counted, line.avg_cost),
        }
        for line in found
    ]
    return {
        **row._mapping,
        "lines": lines,
        "variance_value": sum((line["variance_value"] for line in lines), Decimal("0.00")),
        "allowed_transitions": sorted(rules.MOVES[row.state]),
    }
