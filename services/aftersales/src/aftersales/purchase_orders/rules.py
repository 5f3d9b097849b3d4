"""PARTS-5 purchase orders: draft → submitted → partly_received → received, or cancelled.

A submitted order's open quantity counts as on order (PARTS-4); goods come in by receipts, in part or
whole, never more than was ordered; cancelling closes what is still open (what came in stays)."""

from decimal import Decimal
from typing import Literal, get_args

State = Literal["draft", "submitted", "partly_received", "received", "cancelled"]
STATES: tuple[str, ...] = get_args(State)
Kind = Literal["stock", "emergency"]
"""Stock orders replenish the shelf; emergency orders (急件) fetch what a car on the lift waits for."""
MOVES: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted", "cancelled"}),
    "submitted": frozenset({"cancelled"}),
    "partly_received": frozenset({"cancelled"}),
    "received": frozenset(),
    "cancelled": frozenset(),
}
"""What a person moves; receipts move submitted and partly_received on by themselves."""
RECEIVING = frozenset({"submitted", "partly_received"})
OPEN = RECEIVING
"""States whose remaining quantities are on order."""


class Refused(ValueError):
    def __init__(self, message: str, *, allowed: list[str] | None = None) -> None:
        super().__init__(message)
        self.allowed = allowed or []


def check_move(state: str, to: str) -> None:
    if to not in MOVES[state]:
        allowed = sorted(MOVES[state])
        raise Refused(
            f"a purchase order that is {state} cannot move to {to}; allowed: {', '.join(allowed) or 'none'}",
            allowed=allowed,
        )


def check_receipt(state: str, part_no: str, quantity: Decimal, *, ordered: Decimal, received: Decimal) -> None:
    if state not in RECEIVING:
        raise Refused(f"goods are received on a submitted order, not a {state} one")
    if quantity > ordered - received:
        raise Refused(f"{part_no}: {quantity} received, but only {ordered - received} of {ordered} are still open")


def after_receipt(lines: list[tuple[Decimal, Decimal]]) -> str:
    """The order's state once its lines (ordered, received) are as given."""
    return "received" if all(received >= ordered for ordered, received in lines) else "partly_received"
