"""China working-day calendar: the seeds' "working days" (工作日), adjusted working weekends included.

``holidays.China`` knows the State Council's yearly arrangement, e.g. 2025-09-28 (Sun) and
2025-10-11 (Sat) were working days around the 2025 National Day holiday.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

SHANGHAI = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=1)
def _calendar() -> holidays.HolidayBase:
    return holidays.China()  # type: ignore[attr-defined,no-any-return]


def is_working_day(day: date) -> bool:
    return bool(_calendar().is_working_day(day))


def nth_working_day_after(day: date, n: int) -> date:
    """The n-th working day after ``day`` (``day`` itself does not count)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    result: date = _calendar().get_nth_working_day(day, n)
    return result


def business_date(moment: datetime) -> date:
    """The dealership's calendar date of an instant (Asia/Shanghai)."""
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(SHANGHAI).date()


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
