"""PARTS-9 the parts department's numbers (seed 002, 售后部经理: 监控备件满足率、配件周转率、最大库存数、
积压库存数), pure arithmetic over figures the report reads."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

RATIO = Decimal("0.0001")
CENT = Decimal("0.01")
AGED_DAYS = 180
"""Stock with no issue for this long is aged (积压库存); our default, ``AFTERSALES_AGED_STOCK_DAYS``."""


def fill_rate(served_at_once: int, asked: int) -> Decimal | None:
    """备件满足率: the repair-order lines served from stock when first asked ÷ the lines asked; none
    asked, no rate."""
    return (Decimal(served_at_once) / asked).quantize(RATIO, rounding=ROUND_HALF_UP) if asked else None


def turnover(issued_cost: Decimal, stock_values: Sequence[Decimal]) -> Decimal | None:
    """配件周转率: the cost of what left the shelf over the period ÷ the average stock value at its
    month ends; an empty shelf all along has no turnover."""
    if not stock_values:
        return None
    average = sum(stock_values, Decimal(0)) / len(stock_values)
    return (issued_cost / average).quantize(RATIO, rounding=ROUND_HALF_UP) if average > 0 else None


def aged(last_issue: datetime | None, on_hand: Decimal, *, as_of: datetime, days: int = AGED_DAYS) -> bool:
    """On the shelf and not issued (nor sold) for ``days``; a part never issued counts from its
    first receipt, which the caller passes as ``last_issue``."""
    return on_hand > 0 and (last_issue is None or as_of - last_issue >= timedelta(days=days))


def margin(amount: Decimal, cost: Decimal) -> dict[str, Decimal | None]:
    gross = (amount - cost).quantize(CENT, rounding=ROUND_HALF_UP)
    return {
        "amount": amount.quantize(CENT, rounding=ROUND_HALF_UP),
        "cost": cost.quantize(CENT, rounding=ROUND_HALF_UP),
        "margin": gross,
        "margin_rate": (gross / amount).quantize(RATIO, rounding=ROUND_HALF_UP) if amount else None,
    }


def month_ends(last: date, count: int = 12) -> list[date]:
    """The first days after each of the ``count`` months ending with ``last``'s, oldest first."""
    ends = []
    first = last.replace(day=1)
    for _ in range(count):
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        ends.append(following)
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return sorted(ends)
