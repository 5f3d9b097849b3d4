"""AS-5 maintenance reminders: the next service is due an interval (months, per model) after the
last one; the customer is reminded two weeks before the due date and again on it."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from servicekit.calendar import SHANGHAI

DEFAULT_INTERVAL_MONTHS = 6
"""(our default) when no interval is set for the model."""
DEFAULT_INTERVAL_KM = 5000
REMIND_BEFORE = timedelta(weeks=2)
REMIND_AT = time(9, 0)


@dataclass(frozen=True)
class Reminder:
    kind: str
    remind_on: date
    due_date: date


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (Aug 31 + 6 months → Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due_date(last_service: date, interval_months: int) -> date:
    if interval_months < 1:
        raise ValueError("a service interval is at least one month")
    return add_months(last_service, interval_months)


def reminders_for(due: date) -> list[Reminder]:
    return [Reminder("before", due - REMIND_BEFORE, due), Reminder("due", due, due)]


def remind_at(day: date) -> datetime:
    """Reminders are worked from 09:00 in the store's time zone."""
    return datetime.combine(day, REMIND_AT, tzinfo=SHANGHAI)
