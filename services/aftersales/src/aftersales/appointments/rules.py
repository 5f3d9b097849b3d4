"""AS-2 appointments: booked into slots of the working day, within advisor and bay capacity."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from servicekit.calendar import SHANGHAI

Status = Literal["booked", "arrived", "no_show", "cancelled"]
STATUSES: tuple[str, ...] = get_args(Status)
MOVES = {"arrive": "arrived", "no_show": "no_show", "cancel": "cancelled"}


@dataclass(frozen=True)
class Capacity:
    """(our default) four bays, one customer per advisor per one-hour slot, 08:30-17:30."""

    bays: int = 4
    per_advisor: int = 1
    slot_minutes: int = 60
    opens: time = time(8, 30)
    closes: time = time(17, 30)


class NotASlot(ValueError):
    pass


def slots(day: date, capacity: Capacity) -> list[datetime]:
    start = datetime.combine(day, capacity.opens, tzinfo=SHANGHAI)
    end = datetime.combine(day, capacity.closes, tzinfo=SHANGHAI)
    step = timedelta(minutes=capacity.slot_minutes)
    out = []
    while start + step <= end:
        out.append(start)
        start += step
    return out


def check_slot(starts_at: datetime, capacity: Capacity) -> datetime:
    """The slot ``starts_at`` names (in Shanghai time), or NotASlot."""
    local = starts_at.astimezone(SHANGHAI)
    if local not in slots(local.date(), capacity):
        raise NotASlot(
            f"appointments start on the {capacity.slot_minutes}-minute slots from "
            f"{capacity.opens:%H:%M} to {capacity.closes:%H:%M} (Asia/Shanghai)"
        )
    return local


def refusal(booked_advisors: Iterable[str], advisor_no: str, capacity: Capacity) -> str | None:
    """Why a slot cannot take one more booking with this advisor, or None when it can."""
    booked = Counter(booked_advisors)
    if sum(booked.values()) >= capacity.bays:
        return "bays_full"
    if booked[advisor_no] >= capacity.per_advisor:
        return "advisor_busy"
    return None


def next_status(status: str, action: str) -> str:
    if status != "booked":
        raise ValueError(f"an appointment that is {status} cannot be changed")
    return MOVES[action]
