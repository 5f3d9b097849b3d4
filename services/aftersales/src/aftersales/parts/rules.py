"""PARTS-1…5: the parts department's stock (seeds 000, 001, 002: 备件经理 / 备件计划员 / 仓库管理员).

Every change of stock is a movement; a part's stock is what its movements add up to:

- ``on_hand``: on the shelf; ``reserved``: promised to repair orders; ``available``: the rest.
  0 ≤ reserved ≤ on_hand, always (PARTS-2: stock never goes below zero, and nothing is promised
  twice).
- PARTS-3 moving average cost: a receipt (or a return to the shelf) re-averages the cost of what is
  on hand; what leaves (an issue, a counter sale, a shrinking adjustment) leaves at the average.
- PARTS-1 units: parts counted in pieces, sets or bottles (maintenance products, PAY-10) move in
  whole numbers; litres and metres in up to two places.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

Category = Literal["part", "maintenance_product", "accessory"]
Unit = Literal["piece", "set", "bottle", "litre", "metre"]
UNITS: tuple[str, ...] = get_args(Unit)
WHOLE_UNITS = frozenset({"piece", "set", "bottle"})
MovementKind = Literal["receipt", "issue", "return", "counter_sale", "adjustment", "reservation", "release"]
MOVEMENT_KINDS: tuple[str, ...] = get_args(MovementKind)
COST = Decimal("0.0001")
"""The average cost is kept to 4 places so re-averaging many small receipts does not drift."""
CENT = Decimal("0.01")


class StockRefused(ValueError):
    """The movement would break PARTS-2; ``available`` is what could move."""

    def __init__(self, message: str, *, available: Decimal) -> None:
        super().__init__(message)
        self.available = available


@dataclass(frozen=True)
class Stock:
    on_hand: Decimal
    reserved: Decimal
    avg_cost: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @property
    def value(self) -> Decimal:
        """What the shelf is worth at the average cost."""
        return (self.on_hand * self.avg_cost).quantize(CENT, rounding=ROUND_HALF_UP)


EMPTY = Stock(Decimal(0), Decimal(0), Decimal(0))


def check_quantity(unit: str, quantity: Decimal) -> None:
    """PARTS-1: a positive quantity, whole where the unit is counted."""
    if quantity <= 0:
        raise ValueError("a quantity is more than zero")
    if unit in WHOLE_UNITS and quantity != quantity.to_integral_value():
        raise ValueError(f"a part counted in {unit}s moves in whole {unit}s")


def averaged(stock: Stock, quantity: Decimal, unit_cost: Decimal) -> Decimal:
    """PARTS-3: the average cost after ``quantity`` comes in at ``unit_cost``."""
    total = stock.on_hand + quantity
    if total <= 0:
        return unit_cost.quantize(COST, rounding=ROUND_HALF_UP)
    return ((stock.on_hand * stock.avg_cost + quantity * unit_cost) / total).quantize(COST, rounding=ROUND_HALF_UP)


def apply(stock: Stock, kind: str, quantity: Decimal, unit_cost: Decimal | None = None) -> tuple[Stock, Decimal]:
    """The stock after one movement, and the unit cost it moved at. ``quantity`` is positive except for
    an adjustment, whose sign says which way the count went. Raises ``StockRefused`` (PARTS-2)."""
    if kind == "receipt" or kind == "return":
        cost = stock.avg_cost if unit_cost is None else unit_cost
        return replace(stock, on_hand=stock.on_hand + quantity, avg_cost=averaged(stock, quantity, cost)), cost
    if kind == "reservation":
        if quantity > stock.available:
            raise StockRefused(f"only {stock.available} available", available=stock.available)
        return replace(stock, reserved=stock.reserved + quantity), stock.avg_cost
    if kind == "release":
        if quantity > stock.reserved:
            raise StockRefused(f"only {stock.reserved} reserved", available=stock.available)
        return replace(stock, reserved=stock.reserved - quantity), stock.avg_cost
    if kind == "issue":  # what was reserved for a repair order leaves the shelf
        if quantity > stock.reserved:
            raise StockRefused(f"only {stock.reserved} reserved", available=stock.available)
        return replace(stock, on_hand=stock.on_hand - quantity, reserved=stock.reserved - quantity), stock.avg_cost
    if kind == "counter_sale":
        if quantity > stock.available:
            raise StockRefused(f"only {stock.available} available", available=stock.available)
        return replace(stock, on_hand=stock.on_hand - quantity), stock.avg_cost
    if kind == "adjustment":
        if quantity > 0:
            cost = stock.avg_cost if unit_cost is None else unit_cost
            return replace(stock, on_hand=stock.on_hand + quantity, avg_cost=averaged(stock, quantity, cost)), cost
        if -quantity > stock.available:
            raise StockRefused(
                f"the count cannot go below what is reserved for repair orders ({stock.reserved})",
                available=stock.available,
            )
        return replace(stock, on_hand=stock.on_hand + quantity), stock.avg_cost
    raise ValueError(f"unknown movement {kind!r}")


def reorder_quantity(
    stock: Stock, *, on_order: Decimal, min_qty: Decimal, max_qty: Decimal, waiting: Decimal
) -> Decimal:
    """PARTS-4: what to order. The position is what is available and on order, less what repair orders
    wait for; below ``min_qty`` it is brought up to ``max_qty`` (a part the store does not stock,
    0/0, is ordered for exactly what is waited for)."""
    position = stock.available + on_order - waiting
    return max_qty - position if position < min_qty else Decimal(0)
