"""AS-3 repair orders: states, allowed moves, and the money of their lines.

open → in_progress → quality_check → ready → handed_over → closed, with rework from quality check
back to in progress. Handover (which publishes *service completed*) has its own command and is
allowed only from ``ready``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

State = Literal["open", "in_progress", "quality_check", "ready", "handed_over", "closed"]
STATES: tuple[str, ...] = get_args(State)
MOVES: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress"}),
    "in_progress": frozenset({"quality_check"}),
    "quality_check": frozenset({"ready", "in_progress"}),
    "ready": frozenset({"in_progress"}),
    "handed_over": frozenset({"closed"}),
    "closed": frozenset(),
}
HANDOVER_FROM = "ready"
EDITABLE = frozenset({"open", "in_progress"})
LineKind = Literal["labour", "part", "product"]
LINE_KINDS: tuple[str, ...] = get_args(LineKind)
PART_CATEGORIES: dict[str, frozenset[str]] = {
    "labour": frozenset(),
    "part": frozenset({"part", "accessory"}),
    "product": frozenset({"maintenance_product"}),
}
"""Which catalogue categories a line of each kind takes from stock (labour takes none)."""
CENT = Decimal("0.01")


class InvalidMove(ValueError):
    def __init__(self, state: str, to: str, allowed: Iterable[str]) -> None:
        self.allowed = sorted(allowed)
        super().__init__(
            f"a repair order that is {state} cannot move to {to}; allowed: {', '.join(self.allowed) or 'none'}"
        )


def check_move(state: str, to: str) -> None:
    if to == "handed_over":
        raise InvalidMove(state, to, MOVES[state])
    if to not in MOVES[state]:
        raise InvalidMove(state, to, MOVES[state])


def check_handover(state: str) -> None:
    if state != HANDOVER_FROM:
        raise InvalidMove(state, "handed_over", [HANDOVER_FROM] if state != HANDOVER_FROM else [])


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Labour: hours × rate; parts: quantity × price; products: bottles × price; to the cent."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    kind: str
    quantity: Decimal
    unit_price: Decimal
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class Totals:
    labour_amount: Decimal
    parts_amount: Decimal
    parts_cost: Decimal
    products_amount: Decimal
    product_bottles: int
    total_amount: Decimal


def totals(lines: Iterable[Line]) -> Totals:
    labour = parts = cost = products = Decimal("0.00")
    bottles = 0
    for line in lines:
        amount = line_amount(line.quantity, line.unit_price)
        if line.kind == "labour":
            labour += amount
        elif line.kind == "part":
            parts += amount
            cost += line_amount(line.quantity, line.unit_cost or Decimal("0"))
        elif line.kind == "product":
            products += amount
            bottles += int(line.quantity)
        else:
            raise ValueError(f"unknown line kind {line.kind!r}")
    return Totals(labour, parts, cost, products, bottles, labour + parts + products)
