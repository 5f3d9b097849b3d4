"""AS-6 complaints: recorded, assigned, resolved, called back after resolution, kept on file.
Major ones go to the service manager, critical ones to the station head."""

from datetime import datetime
from typing import Literal, get_args

Severity = Literal["minor", "major", "critical"]
SEVERITIES: tuple[str, ...] = get_args(Severity)
SOURCES = ("follow_up", "phone", "walk_in", "app", "online", "other")
ESCALATE_TO = {"major": "service_manager", "critical": "station_head"}
MOVES: dict[str, dict[str, str]] = {
    # action -> {from state: to state}
    "assign": {"open": "assigned", "assigned": "assigned"},
    "resolve": {"assigned": "resolved"},
    "callback_satisfied": {"resolved": "closed"},
    "callback_unsatisfied": {"resolved": "assigned"},
}


class InvalidAction(ValueError):
    def __init__(self, action: str, state: str) -> None:
        self.allowed = sorted(a for a, moves in MOVES.items() if state in moves)
        super().__init__(
            f"a complaint that is {state} cannot be {action.replace('_', ' ')}; "
            f"allowed: {', '.join(self.allowed) or 'none'}"
        )


def next_state(state: str, action: str) -> str:
    moves = MOVES[action]
    if state not in moves:
        raise InvalidAction(action, state)
    return moves[state]


def escalation(severity: str) -> str | None:
    return ESCALATE_TO.get(severity)


def hours_to_close(created_at: datetime, closed_at: datetime | None) -> float | None:
    if closed_at is None:
        return None
    return round((closed_at - created_at).total_seconds() / 3600, 1)
