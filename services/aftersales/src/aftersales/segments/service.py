"""Segments are recomputed for one car on each visit and for every car by a nightly due job."""

from datetime import date, datetime, timedelta
from typing import Any

from servicekit import scheduler
from servicekit.calendar import business_date
from servicekit.kit import Kit
from servicekit.pagination import decode_cursor, page_of
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.reminders import service as reminders
from aftersales.repair_orders import service as repair_orders
from aftersales.segments import rules
from aftersales.vehicles import service as vehicles

CHUNK = 2000


async def recompute(session: AsyncConnection, vins: list[str], today: date) -> None:
    visits = await repair_orders.paid_visits(session, vins, since=today - timedelta(days=365))
    missed = await reminders.missed(session, vins, today)
    segments: dict[str, str] = {}
    for vin, delivered in (await vehicles.delivered_at(session, vins)).items():
        paid, last_visit = visits.get(vin, (0, None))
        history = rules.History(
            paid_visits_last_year=paid,
            last_visit=business_date(last_visit) if last_visit else None,
            delivered_on=business_date(delivered) if delivered else None,
            missed_reminders=missed.get(vin, 0),
        )
        segments[vin] = rules.segment_of(history, today)
    await vehicles.set_segments(session, segments)


async def recompute_all(session: AsyncConnection, today: date) -> None:
    """Every car, in chunks."""
    after = ""
    while vins := await vehicles.vins_after(session, after, CHUNK):
        await recompute(session, vins, today)
        after = vins[-1]


async def after_handover(session: AsyncConnection, vin: str, handed_over_on: date) -> None:
    """A visit moves the car's segment at once, not only at night."""
    await recompute(session, [vin], handed_over_on)


async def _nightly(session: AsyncConnection, run_at: datetime) -> None:
    await recompute_all(session, business_date(run_at))


NIGHTLY = scheduler.Recurring("segments.nightly", rules.next_nightly_run, _nightly)


async def members(kit: Kit, segment: str, *, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    after = decode_cursor(cursor)
    async with kit.db.transaction() as session:
        rows = await vehicles.in_segment(session, segment, after=str(after[0]) if after else None, limit=limit + 1)
    page, next_cursor = page_of(rows, limit, lambda r: [r.vin])
    return [dict(r._mapping) for r in page], next_cursor
