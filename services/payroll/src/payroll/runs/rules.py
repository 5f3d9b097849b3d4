"""Monthly payroll runs (PAY-11, PAY-12): draft → computed → approved → locked; a locked month never
changes, and what arrives late lands in the next open month."""

from collections.abc import Iterable

STATES = ("draft", "computed", "approved", "locked")
MOVES = {"compute": {"draft", "computed"}, "approve": {"computed"}, "lock": {"approved"}}
AFTER = {"compute": "computed", "approve": "approved", "lock": "locked"}


class InvalidMove(ValueError):
    pass


def after(state: str, action: str) -> str:
    if state not in MOVES[action]:
        allowed = sorted(a for a, states in MOVES.items() if state in states)
        raise InvalidMove(f"a {state} payroll run cannot {action}; allowed: {', '.join(allowed) or 'nothing (locked)'}")
    return AFTER[action]


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def first_open_month(month: str, locked: Iterable[str]) -> str:
    """``month`` itself unless its payroll is locked; otherwise the first later month that is not."""
    closed = set(locked)
    while month in closed:
        month = next_month(month)
    return month


def top_sellers(counts: dict[str, int]) -> set[str]:
    """PAY-7: the month's top seller; on a tie every one of them (our reading)."""
    best = max(counts.values(), default=0)
    return {who for who, n in counts.items() if n == best and best > 0}
