"""LEAD-6: test drives in dedicated cars, one booking per car per slot, the signed agreement
recorded and a route chosen. Slots are fixed blocks of ``SLOT_MINUTES`` within opening hours (our
default: 30 minutes, 08:30–18:00 Shanghai time)."""

from datetime import date, datetime, timedelta

from servicekit.calendar import SHANGHAI

from leads.tasks.rules import CLOSES, OPENS

SLOT_MINUTES = 30
ROUTES = ("city", "highway", "mixed")


class BadSlot(ValueError):
    pass


def check_slot(start: datetime, minutes: int = SLOT_MINUTES) -> datetime:
    """The slot's start in Shanghai time, or ``BadSlot`` saying why it is not a bookable slot."""
    local = start.astimezone(SHANGHAI)
    opens = datetime.combine(local.date(), OPENS, SHANGHAI)
    closes = datetime.combine(local.date(), CLOSES, SHANGHAI)
    if local.second or local.microsecond or ((local - opens).total_seconds() / 60) % minutes:
        raise BadSlot(f"slots start every {minutes} minutes from {OPENS:%H:%M}")
    if local < opens or local + timedelta(minutes=minutes) > closes:
        raise BadSlot(f"test drives run from {OPENS:%H:%M} to {CLOSES:%H:%M}")
    return local


def slots_of(day: date, minutes: int = SLOT_MINUTES) -> list[datetime]:
    """Every bookable slot of a day, in Shanghai time: from opening, one each ``minutes``, the last
    ending by closing time."""
    start = datetime.combine(day, OPENS, SHANGHAI)
    closes = datetime.combine(day, CLOSES, SHANGHAI)
    count = int((closes - start).total_seconds() // 60 // minutes)
    return [start + timedelta(minutes=minutes * n) for n in range(count)]


def check_done(agreement_signed: bool, route: str) -> None:
    if not agreement_signed:
        raise ValueError("a test drive needs the customer's signed agreement")
    if route not in ROUTES:
        raise ValueError(f"route must be one of: {', '.join(ROUTES)}")
