"""Monthly payroll runs (PAY-12): draft → computed → approved → locked; a locked month never changes."""

from typing import Literal, get_args

State = Literal["draft", "computed", "approved", "locked"]
STATES: tuple[str, ...] = get_args(State)
MOVES = {"compute": {"draft", "computed"}, "approve": {"computed"}, "lock": {"approved"}}
AFTER = {"compute": "computed", "approve": "approved", "lock": "locked"}


class InvalidMove(ValueError):
    pass


def after(state: str, action: str) -> str:
    if state not in MOVES[action]:
        allowed = sorted(a for a, states in MOVES.items() if state in states)
        raise InvalidMove(f"a {state} payroll run cannot {action}; allowed: {', '.join(allowed) or 'nothing (locked)'}")
    return AFTER[action]
