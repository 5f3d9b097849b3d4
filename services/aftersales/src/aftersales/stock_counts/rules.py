"""PARTS-8 stock counts (盘点): the shelf counted against the books, the variance in units and money,
booked as adjustments only when the parts manager approves.

counted → approved (each variance booked as an adjustment) | rejected (nothing booked)."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

State = Literal["counted", "approved", "rejected"]
STATES: tuple[str, ...] = get_args(State)
MOVES: dict[str, frozenset[str]] = {
    "counted": frozenset({"approved", "rejected"}),
    "approved": frozenset(),
    "rejected": frozenset(),
}
CENT = Decimal("0.01")


def variance(expected: Decimal, counted: Decimal) -> Decimal:
    """Units found more (positive) or missing (negative) against the books."""
    return counted - expected


def variance_value(expected: Decimal, counted: Decimal, avg_cost: Decimal) -> Decimal:
    """The variance in money, at the average cost the shelf is valued at (PARTS-3)."""
    return (variance(expected, counted) * avg_cost).quantize(CENT, rounding=ROUND_HALF_UP)


def check_move(state: str, to: str) -> None:
    if to not in MOVES[state]:
        raise ValueError(f"a stock count that is {state} cannot move to {to}")
