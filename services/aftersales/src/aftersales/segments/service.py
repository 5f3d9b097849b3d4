"""Segments are recomputed for one car on each visit and for every car by a nightly due job."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from servicekit import scheduler
from servicekit.calendar import business_date
from servicekit.kit import Kit
from servicekit.pagination import decode_cursor, page_of
from sqlalchemy import and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.reminders.tables import maintenance_reminders
from aftersales.repair_orders.tables import repair_orders
from aftersales.segments import rules
from aftersales.vehicles.tables import vehicles

CHUNK = 2000


async def recompute(session: AsyncSession, vins: list[str], today: date) -> None:
    year_ago = datetime.combine(today - timedelta(days=365), datetime.min.time(), tzinfo=UTC)
    paid = (repair_orders.c.type != "warranty") & (repair_orders.c.state.in_(["handed_over", "closed"]))
    visits = (
        select(
            repair_orders.c.vin,
            func.count().filter(and_(paid, repair_orders.c.handed_over_at >= year_ago)).label("paid"),
            func.max(repair_orders.c.handed_over_at).label("last_visit"),
        )
        .where(repair_orders.c.vin.in_(vins))
        .group_by(repair_orders.c.vin)
    )
    missed = (
        select(maintenance_reminders.c.vin, func.count().label("missed"))
        .where(
            maintenance_reminders.c.vin.in_(vins),
            maintenance_reminders.c.kind == "due",
            maintenance_reminders.c.status == "open",
            maintenance_reminders.c.due_date < today,
        )
        .group_by(maintenance_reminders.c.vin)
    )
    by_visit = {r.vin: r for r in (await session.execute(visits)).all()}
    by_missed = {r.vin: r.missed for r in (await session.execute(missed)).all()}
    cars = (
        await session.execute(select(vehicles.c.vin, vehicles.c.delivered_at).where(vehicles.c.vin.in_(vins)))
    ).all()
    segments: dict[str, str] = {}
    for car in cars:
        visit = by_visit.get(car.vin)
        history = rules.History(
            paid_visits_last_year=visit.paid if visit else 0,
            last_visit=business_date(visit.last_visit) if visit and visit.last_visit else None,
            delivered_on=business_date(car.delivered_at) if car.delivered_at else None,
            missed_reminders=by_missed.get(car.vin, 0),
        )
        segments[car.vin] = rules.segment_of(history, today)
    if segments:
        await session.execute(
            update(vehicles)
            .where(vehicles.c.vin.in_(list(segments)))
            .values(segment=case(segments, value=vehicles.c.vin), segment_at=func.now())
        )


async def recompute_all(session: AsyncSession, today: date) -> None:
    """Every car, in chunks."""
    after = ""
    while True:
        vins = list(
            (
                await session.execute(
                    select(vehicles.c.vin).where(vehicles.c.vin > after).order_by(vehicles.c.vin).limit(CHUNK)
                )
            ).scalars()
        )
        if not vins:
            break
        await recompute(session, vins, today)
        after = vins[-1]


async def _nightly(session: AsyncSession, run_at: datetime) -> None:
    await recompute_all(session, business_date(run_at))


NIGHTLY = scheduler.Recurring("segments.nightly", rules.next_nightly_run, _nightly)


async def members(kit: Kit, segment: str, *, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    query = select(vehicles).where(vehicles.c.segment == segment).order_by(vehicles.c.vin).limit(limit + 1)
    after = decode_cursor(cursor)
    if after:
        query = query.where(vehicles.c.vin > str(after[0]))
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    page, next_cursor = page_of(list(rows), limit, lambda r: [r.vin])
    return [dict(r._mapping) for r in page], next_cursor
