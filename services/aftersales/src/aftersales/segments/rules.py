"""AS-7 customer segments (our default, from the 2011/2018 plans' retention aims): loyal = two or more
paid visits in the last 12 months; lost = no visit for 12 months, or two missed maintenance reminders;
everyone else is ordinary."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from servicekit.calendar import next_daily

Segment = Literal["loyal", "ordinary", "lost"]
SEGMENTS: tuple[str, ...] = get_args(Segment)
LOYAL_VISITS = 2
LOST_AFTER_DAYS = 365
LOST_AFTER_MISSED_REMINDERS = 2
NIGHTLY_AT = time(2, 0)


@dataclass(frozen=True)
class History:
    paid_visits_last_year: int
    last_visit: date | None
    delivered_on: date | None
    missed_reminders: int


def segment_of(history: History, today: date) -> str:
    if history.missed_reminders >= LOST_AFTER_MISSED_REMINDERS:
        return "lost"
    seen = [d for d in (history.last_visit, history.delivered_on) if d is not None]
    if seen and max(seen) <= today - timedelta(days=LOST_AFTER_DAYS):
        return "lost"
    if history.paid_visits_last_year >= LOYAL_VISITS:
        return "loyal"
    return "ordinary"


def next_nightly_run(now: datetime) -> datetime:
    """02:00 Asia/Shanghai after ``now``."""
    return next_daily(now, NIGHTLY_AT)
