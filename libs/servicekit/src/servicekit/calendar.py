"""China working-day calendar: the seeds' "working days" (工作日), adjusted working weekends included.

``holidays.China`` knows the State Council's yearly arrangement once a release of the library has it
(e.g. 2025-09-28, a Sunday, and 2025-10-11, a Saturday, were working days around the 2025 National
Day holiday). The State Council publishes a year's schedule late in the year before, so a store
enters it itself (``PUT /api/v1/calendar/{year}``): on the days the store lists, the store's calendar
wins; every other day is the library's. Each service keeps the store's entries (``store_calendar``)
and installs them here, so every deadline counts the same days.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

SHANGHAI = ZoneInfo("Asia/Shanghai")
FLAG_FROM = (11, 1)
"""From 1 November a next year that nobody knows the adjusted working days of is flagged."""

Origin = Literal["library", "store"]


@dataclass(frozen=True)
class YearEntry:
    """The store's calendar of a year: the days it says are off and the days it says are worked."""

    holidays: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    source: str = ""


@dataclass(frozen=True)
class Day:
    day: date
    working: bool
    origin: Origin
    name: str | None = None


@dataclass
class Calendar:
    store: Mapping[int, YearEntry] = field(default_factory=dict)
    _library: holidays.HolidayBase = field(default_factory=lambda: holidays.China(), repr=False)  # type: ignore[attr-defined]

    def is_working_day(self, day: date) -> bool:
        entry = self.store.get(day.year)
        if entry is not None:
            if day in entry.working_days:
                return True
            if day in entry.holidays:
                return False
        return bool(self._library.is_working_day(day))

    def origin(self, day: date) -> Origin:
        entry = self.store.get(day.year)
        listed = entry is not None and (day in entry.working_days or day in entry.holidays)
        return "store" if listed else "library"

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (``day`` itself does not count)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        while n:
            day += timedelta(days=1)
            n -= self.is_working_day(day)
        return day

    def library_knows_adjustments(self, year: int) -> bool:
        """Whether the library has the year's arrangement: some weekend day of it is worked."""
        return any(d.weekday() >= 5 and self._library.is_working_day(d) for d in _days_of(year))

    def complete(self, year: int) -> bool:
        """The year's working days are known: the store entered them, or the library has them."""
        return year in self.store or self.library_knows_adjustments(year)

    def flagged(self, today: date) -> list[int]:
        """The years whose calendar is needed and not known: this year, and from 1 November the next."""
        years = [today.year] + ([today.year + 1] if (today.month, today.day) >= FLAG_FROM else [])
        return [year for year in years if not self.complete(year)]

    def special_days(self, year: int) -> list[Day]:
        """The year's days that are not what their weekday says: weekdays off, weekend days worked."""
        out = []
        for d in _days_of(year):
            working = self.is_working_day(d)
            if working == (d.weekday() < 5):
                continue
            name = self._library.get(d) if self.origin(d) == "library" else None
            out.append(Day(d, working, self.origin(d), str(name) if name else None))
        return out


def _days_of(year: int) -> Iterable[date]:
    first = date(year, 1, 1)
    return (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))


_current = Calendar()


def current() -> Calendar:
    return _current


def install(store: Mapping[int, YearEntry]) -> Calendar:
    """Make the store's entries the calendar every deadline of this process counts with."""
    global _current
    _current = Calendar(dict(store))
    return _current


def is_working_day(day: date) -> bool:
    return _current.is_working_day(day)


def nth_working_day_after(day: date, n: int) -> date:
    """The n-th working day after ``day`` (``day`` itself does not count)."""
    return _current.nth_working_day_after(day, n)


def business_date(moment: datetime) -> date:
    """The dealership's calendar date of an instant (Asia/Shanghai)."""
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(SHANGHAI).date()


def today() -> date:
    """The dealership's calendar date now (Asia/Shanghai), whatever the machine's zone."""
    return business_date(datetime.now(UTC))


def midnight(day: date) -> datetime:
    """The instant a dealership's calendar day begins (midnight in Asia/Shanghai)."""
    return datetime.combine(day, time(0), SHANGHAI)


def next_daily(after: datetime, at: time) -> datetime:
    """The first ``at`` o'clock (Asia/Shanghai) strictly after ``after``: a nightly or morning job's
    next run."""
    local = after.astimezone(SHANGHAI)
    run = datetime.combine(local.date(), at, tzinfo=SHANGHAI)
    return run if run > local else run + timedelta(days=1)


def instants_of(first: date, last: date) -> tuple[datetime, datetime]:
    """The days ``first``..``last`` (inclusive) as [the first one's midnight, the midnight after
    the last one)."""
    return midnight(first), midnight(last + timedelta(days=1))


def next_month_start(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_span(month: str) -> tuple[date, date]:
    """A ``YYYY-MM`` month as [its first day, the first day of the next month)."""
    first = date.fromisoformat(month + "-01")
    return first, next_month_start(first)


def month_of(moment: datetime) -> str:
    """The dealership's ``YYYY-MM`` month of an instant (Asia/Shanghai)."""
    return business_date(moment).strftime("%Y-%m")


def next_month(month: str) -> str:
    """The ``YYYY-MM`` month after ``month``."""
    return month_span(month)[1].strftime("%Y-%m")


def month_bounds(month: str) -> tuple[date, date]:
    """A ``YYYY-MM`` month's first and last day."""
    first, following = month_span(month)
    return first, following - timedelta(days=1)
