"""The store's working-day calendar as every service keeps it: each consumes *calendar updated*, keeps
the year in its own database (``calendar_years``) and installs it into ``servicekit.calendar``, so its
deadlines count the store's days; the features that keep open deadlines react (``handlers(...)``) and
say how many they moved. Work already done keeps its dates. Replicas that did not handle the event pick
the year up from the database within ``REFRESH_SECONDS``."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fours_contracts import CalendarUpdated, CloudEvent, DomainEvent
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from servicekit import calendar
from servicekit.consumer import Handler
from servicekit.db import Database
from servicekit.logs import get_logger
from servicekit.tables import calendar_years

REFRESH_SECONDS = 60.0
Reaction = Callable[[AsyncConnection, int], Awaitable[int]]
"""A feature's open deadlines recomputed for a year with the new calendar installed: how many moved."""
_log = get_logger("calendar")


async def load(session: AsyncConnection) -> dict[int, calendar.YearEntry]:
    rows = (await session.execute(select(calendar_years))).all()
    return {r.year: calendar.YearEntry(frozenset(r.holidays), frozenset(r.working_days), r.source) for r in rows}


def handlers(*reactions: Reaction) -> dict[type[DomainEvent], Handler]:
    """The handler of *calendar updated* for a service whose features ``reactions`` keep deadlines."""

    async def on_calendar_updated(session: AsyncConnection, event: CalendarUpdated, _: CloudEvent) -> None:
        values = {
            "holidays": sorted(set(event.holidays)),
            "working_days": sorted(set(event.working_days)),
            "source": event.source,
            "updated_at": event.updated_at,
            "applied_at": func.now(),
            "moved": 0,
        }
        stmt = insert(calendar_years).values(year=event.year, **values)
        newer = await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[calendar_years.c.year],
                set_=values,
                where=calendar_years.c.updated_at <= stmt.excluded.updated_at,
            ).returning(calendar_years.c.year)
        )
        if newer.first() is None:
            return  # an older entry arriving late changes nothing
        calendar.install(await load(session))
        moved = sum([await react(session, event.year) for react in reactions])
        await session.execute(update(calendar_years).where(calendar_years.c.year == event.year).values(moved=moved))
        _log.info("calendar applied", year=event.year, source=event.source, moved=moved)

    return {CalendarUpdated: on_calendar_updated}


async def refresh(db: Database) -> calendar.Calendar:
    async with db.transaction() as session:
        current = calendar.install(await load(session))
    flagged = current.flagged(calendar.today())
    if flagged:
        _log.warning("working days unknown: enter the year's schedule with PUT /api/v1/calendar/{year}", years=flagged)
    return current


async def keep_current(db: Database) -> None:
    """Load the store's calendar now, then again every ``REFRESH_SECONDS`` (what another replica applied)."""
    while True:
        try:
            await refresh(db)
        except Exception as exc:  # the database may be away; the deadlines keep the last calendar
            _log.warning("calendar refresh failed", error=f"{type(exc).__name__}: {exc}")
        await asyncio.sleep(REFRESH_SECONDS)


async def copy_of(session: AsyncConnection, year: int) -> dict[str, Any]:
    """What this service holds of the year: whether the store's entry arrived, and what it moved."""
    row = (await session.execute(select(calendar_years).where(calendar_years.c.year == year))).first()
    return {
        "year": year,
        "entered": row is not None,
        "source": row.source if row else None,
        "updated_at": row.updated_at if row else None,
        "applied_at": row.applied_at if row else None,
        "moved": row.moved if row else 0,
        "complete": calendar.current().complete(year),
    }
