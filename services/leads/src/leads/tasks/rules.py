"""LEAD-5: the deadlines of a consultant's follow-up work.

- A web lead (website or auto portal) gets its first contact within **30 minutes of business hours**
  (our default): the clock runs only while the showroom is open, 08:30–18:00 Shanghai time, every
  day (4S showrooms open at weekends; ``open_on`` lets a store close on given days).
- Every open lead has a next follow-up date; a lead entered without one is followed up the next day
  (our default).
- After the handover the consultant calls the buyer within **3 days** (002: 车辆交接后3日内回访):
  by closing time of the 3rd calendar day after the delivery date.
- Birthday and purchase-anniversary greetings are due on the day itself; a 29 February birthday is
  greeted on 28 February in other years.

A task due "on a day" is due at that day's closing time.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from servicekit.calendar import SHANGHAI, business_date

OPENS = time(8, 30)
CLOSES = time(18, 0)
FIRST_CONTACT_MINUTES = 30
POST_DELIVERY_CALL_DAYS = 3
WEB_SOURCES = frozenset({"website", "auto_portal"})

TaskKind = Literal["first_contact", "follow_up", "post_delivery_call", "birthday", "anniversary", "other"]
KINDS: tuple[str, ...] = get_args(TaskKind)


def _always(_: date) -> bool:
    return True


def first_contact_deadline(
    received_at: datetime,
    *,
    minutes: int = FIRST_CONTACT_MINUTES,
    opens: time = OPENS,
    closes: time = CLOSES,
    open_on: Callable[[date], bool] = _always,
) -> datetime:
    """The moment ``minutes`` of opening hours have passed since ``received_at``.

    >>> first_contact_deadline(datetime(2026, 11, 24, 17, 50, tzinfo=SHANGHAI)).isoformat()
    '2026-11-25T08:50:00+08:00'
    """
    remaining = timedelta(minutes=minutes)
    cursor = received_at.astimezone(SHANGHAI)
    while True:
        day = cursor.date()
        start = datetime.combine(day, opens, SHANGHAI)
        end = datetime.combine(day, closes, SHANGHAI)
        if open_on(day) and cursor < end:
            cursor = max(cursor, start)
            if cursor + remaining <= end:
                return cursor + remaining
            remaining -= end - cursor
        cursor = datetime.combine(day + timedelta(days=1), opens, SHANGHAI)


def due_on(day: date, *, closes: time = CLOSES) -> datetime:
    """A task due on ``day`` is due by closing time."""
    return datetime.combine(day, closes, SHANGHAI)


def default_next_follow_up(created_at: datetime) -> date:
    return business_date(created_at) + timedelta(days=1)


def post_delivery_call_due(delivered_at: datetime, days: int = POST_DELIVERY_CALL_DAYS) -> datetime:
    return due_on(business_date(delivered_at) + timedelta(days=days))


def on_day_of_year(month: int, day: int, year: int) -> date:
    """(month, day) in ``year``; 29 February falls back to 28 February outside leap years."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)


def next_birthday(birthday: date, today: date) -> date:
    this_year = on_day_of_year(birthday.month, birthday.day, today.year)
    return this_year if this_year >= today else on_day_of_year(birthday.month, birthday.day, today.year + 1)


def anniversary(delivered_on: date, years: int) -> date:
    return on_day_of_year(delivered_on.month, delivered_on.day, delivered_on.year + years)


def is_overdue(status: str, due_at: datetime, now: datetime) -> bool:
    return status == "open" and due_at < now


def agenda_window(due: str, now: datetime) -> datetime | None:
    """Upper bound of ``due_at`` for an agenda filter: ``today`` is everything open up to tonight
    (what is overdue included), ``overdue`` what is already late, ``all`` no bound."""
    if due == "today":
        return datetime.combine(business_date(now) + timedelta(days=1), time(0), SHANGHAI)
    if due == "overdue":
        return now
    return None
