"""AS-4: the customer-service follow-up call is due on the 3rd China working day after the handover
date; the handover day does not count, adjusted working weekends do, holidays do not."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from servicekit.calendar import business_date, nth_working_day_after

WORKING_DAYS_TO_CALL = 3


def follow_up_due_date(handed_over_at: datetime, working_days: int = WORKING_DAYS_TO_CALL) -> date:
    return nth_working_day_after(business_date(handed_over_at), working_days)


def is_overdue(due_date: date, status: str, today: date) -> bool:
    return status == "open" and today > due_date


MAX_ATTEMPTS = 3
UNHAPPY_AT_OR_BELOW = 6
"""(our default) a satisfaction answer of 6 or less on the 1-10 scale opens a complaint."""


def after_attempt(attempts: int, outcome: str) -> tuple[str, int]:
    """New (status, attempts) after one call: reached closes the call; after the third unanswered
    call it is given up as unreachable."""
    attempts += 1
    if outcome == "reached":
        return "done", attempts
    return ("unreachable" if attempts >= MAX_ATTEMPTS else "open"), attempts


def is_unhappy(scores: dict[str, int], unhappy: bool = False) -> bool:
    return unhappy or any(score <= UNHAPPY_AT_OR_BELOW for score in scores.values())


@dataclass(frozen=True)
class Call:
    status: str
    due_date: date
    called_on: date | None
    staff_no: str | None
    scores: dict[str, int]


def summarize(calls: list[Call]) -> dict[str, Any]:
    """The monthly follow-up report (回访总结报告): reach rate, on-time rate and satisfaction, overall
    and by the advisor or consultant the call was about."""

    def figures(group: list[Call]) -> dict[str, Any]:
        reached = [c for c in group if c.status == "done"]
        on_time = [c for c in reached if c.called_on is not None and c.called_on <= c.due_date]
        scores = [s for c in reached for s in c.scores.values()]
        return {
            "calls": len(group),
            "reached": len(reached),
            "reach_rate": _ratio(len(reached), len(group)),
            "on_time_rate": _ratio(len(on_time), len(reached)),
            "average_satisfaction": round(sum(scores) / len(scores), 2) if scores else None,
        }

    by_staff: dict[str, list[Call]] = {}
    for call in calls:
        by_staff.setdefault(call.staff_no or "unknown", []).append(call)
    return {**figures(calls), "by_staff": {no: figures(group) for no, group in sorted(by_staff.items())}}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
