"""AS-5 maintenance reminders: the next service is due an interval (months, per model) after the
last one; the customer is reminded two weeks before the due date and again as the date draws near
(在日期将至时再次通知): ``SECOND_DAYS_BEFORE`` days before it, **our default** 0 (on the due date itself),
set per store with ``AFTERSALES_SECOND_REMINDER_DAYS_BEFORE``."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from servicekit.calendar import SHANGHAI

DEFAULT_INTERVAL_MONTHS = 6
"""(our default) when no interval is set for the model."""
DEFAULT_INTERVAL_KM = 5000
REMIND_BEFORE = timedelta(weeks=2)
SECOND_DAYS_BEFORE = 0
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


def next_due_date(
    last_service: date, interval_months: int, interval_km: int | None = None, km_per_day: float | None = None
) -> date:
    """Whichever comes first: the months of the interval, or its kilometres at the car's own pace."""
    if interval_months < 1:
        raise ValueError("a service interval is at least one month")
    by_time = add_months(last_service, interval_months)
    if interval_km and km_per_day and km_per_day > 0:
        return min(by_time, last_service + timedelta(days=max(1, int(interval_km / km_per_day))))
    return by_time


MIN_DAYS_FOR_PACE = 30


def km_per_day(readings: list[tuple[date, int]]) -> float | None:
    """The car's pace from its odometer readings at past visits (first to last), when they span a
    month or more and the odometer went up; otherwise unknown."""
    ordered = sorted(readings)
    if len(ordered) < 2:
        return None
    (first_day, first_km), (last_day, last_km) = ordered[0], ordered[-1]
    days = (last_day - first_day).days
    if days < MIN_DAYS_FOR_PACE or last_km <= first_km:
        return None
    return (last_km - first_km) / days


def reminders_for(due: date, second_days_before: int = SECOND_DAYS_BEFORE) -> list[Reminder]:
    """The two reminders of a due date: two weeks before, and ``second_days_before`` days before it."""
    if not 0 <= second_days_before < REMIND_BEFORE.days:
        raise ValueError(f"the second reminder comes 0 to {REMIND_BEFORE.days - 1} days before the due date")
    return [
        Reminder("before", due - REMIND_BEFORE, due),
        Reminder("due", due - timedelta(days=second_days_before), due),
    ]


def remind_at(day: date) -> datetime:
    """Reminders are worked from 09:00 in the store's time zone."""
    return datetime.combine(day, REMIND_AT, tzinfo=SHANGHAI)
