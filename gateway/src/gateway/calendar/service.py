"""The store's working-day calendar: entered per year by the general manager or the HR/admin manager,
published as *calendar updated* for every service's deadlines, and shown as the effective calendar."""

import asyncio
from datetime import UTC, datetime
from typing import Any

from fours_contracts import CalendarUpdated
from servicekit import calendar, outbox
from servicekit.errors import Unprocessable, field_error
from servicekit.kit import Kit
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from gateway.calendar import rules
from gateway.calendar.tables import store_calendars
from gateway.routing.service import Unavailable, call

SERVICES = ("leads", "aftersales", "insurance", "marketing", "payroll")
"""The services that keep a copy of the calendar for their deadlines."""


async def enter(kit: Kit, year: int, facts: dict[str, Any], *, by: str) -> None:
    problems = rules.entry_problems(year, facts["holidays"], facts["working_days"])
    if problems:
        raise Unprocessable(
            f"the calendar of {year} has {len(problems)} problem(s)",
            errors=[field_error(name, reason) for name, reason in problems],
        )
    now = datetime.now(UTC)
    values = {
        "holidays": sorted(set(facts["holidays"])),
        "working_days": sorted(set(facts["working_days"])),
        "source": facts["source"],
        "updated_by": by,
        "updated_at": now,
    }
    async with kit.db.transaction() as session:
        stmt = insert(store_calendars).values(year=year, **values)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[store_calendars.c.year], set_={**values, "version": store_calendars.c.version + 1}
            )
        )
        await outbox.publish(session, CalendarUpdated(year=year, **values), source=kit.source)


async def effective(kit: Kit, year: int, *, headers: list[tuple[str, str]]) -> dict[str, Any]:
    """The year as deadlines count it: the store's days over the library's, each day saying where it
    came from; whether the year is complete; and, for a caller who keeps the calendar, each service's
    copy (the entry arrived, how many open deadlines it moved)."""
    async with kit.db.transaction() as session:
        row = (await session.execute(select(store_calendars).where(store_calendars.c.year == year))).first()
    entry = calendar.YearEntry(frozenset(row.holidays), frozenset(row.working_days), row.source) if row else None
    effective = calendar.Calendar({year: entry} if entry else {})
    special = effective.special_days(year)
    copies = await asyncio.gather(*(_copy(kit, name, year, headers) for name in SERVICES))
    return {
        "year": year,
        "complete": effective.complete(year),
        "library_knows_adjustments": effective.library_knows_adjustments(year),
        "source": row.source if row else None,
        "entered_by": row.updated_by if row else None,
        "entered_at": row.updated_at if row else None,
        "holidays": [_day(d) for d in special if not d.working],
        "working_days": [_day(d) for d in special if d.working],
        "services": {name: copy for name, copy in zip(SERVICES, copies, strict=True) if copy is not None},
    }


def _day(day: calendar.Day) -> dict[str, Any]:
    return {"date": day.day, "from": day.origin, "name": day.name}


async def _copy(kit: Kit, service: str, year: int, headers: list[tuple[str, str]]) -> dict[str, Any] | None:
    try:
        answer = await call(kit, service, "GET", f"/admin/calendar/{year}", headers, timeout=3.0)
    except (Unavailable, TimeoutError):
        return {"available": False}
    if answer.status_code != 200:
        return None  # not for this caller to see
    return {"available": True, **answer.json()}
