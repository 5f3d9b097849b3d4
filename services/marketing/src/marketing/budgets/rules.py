"""MKT-1…3: the annual budget, its states, and its split into months by the last three years' sales.

MKT-2: month m gets annual × (cars sold in calendar month m over the 3 years ÷ all cars sold in the
3 years), rounded down to whole yuan; the yuan left over go to the month with the largest share
(the earliest such month on a tie), so the months add up exactly.
"""

from decimal import ROUND_FLOOR, Decimal
from typing import Literal, get_args

Category = Literal[
    "online_ads", "offline_events", "outdoor", "roadshows_exhibitions", "brand_support", "network_bulk_purchase"
]
CATEGORIES: tuple[str, ...] = get_args(Category)
State = Literal["draft", "submitted", "approved", "closed"]
STATES: tuple[str, ...] = get_args(State)
MOVES = {
    "submit": ("draft", "submitted"),
    "approve": ("submitted", "approved"),
    "close": ("approved", "closed"),
    "reopen": ("submitted", "draft"),
}
YUAN = Decimal("1")


class NoSalesHistory(ValueError):
    pass


class InvalidMove(ValueError):
    pass


def next_state(state: str, action: str) -> str:
    source, target = MOVES[action]
    if state != source:
        allowed = sorted(a for a, (s, _) in MOVES.items() if s == state)
        raise InvalidMove(f"a {state} budget cannot be {action}ed; allowed: {', '.join(allowed) or 'none'}")
    return target


def monthly_shares(history: list[list[int]]) -> list[int]:
    """Cars sold in each calendar month over the given years."""
    if any(len(year) != 12 for year in history):
        raise ValueError("each year has 12 monthly counts")
    return [sum(year[m] for year in history) for m in range(12)]


def monthly_split(annual: Decimal, history: list[list[int]]) -> list[Decimal]:
    by_month = monthly_shares(history)
    total = sum(by_month)
    if total <= 0:
        raise NoSalesHistory("no cars were sold in the years the split is based on")
    amounts = [(annual * count / total).quantize(YUAN, rounding=ROUND_FLOOR) for count in by_month]
    leftover = annual.quantize(YUAN, rounding=ROUND_FLOOR) - sum(amounts)
    largest = max(range(12), key=lambda m: (by_month[m], -m))
    amounts[largest] += leftover
    return amounts


def fixed_and_activity(amount: Decimal, fixed_share: Decimal) -> tuple[Decimal, Decimal]:
    """MKT-3: a month's fixed running spend (常态) and activity budget, in whole yuan."""
    fixed = (amount * fixed_share).quantize(YUAN, rounding=ROUND_FLOOR)
    return fixed, amount - fixed


class BadOverride(ValueError):
    pass


def apply_override(rule: list[Decimal], override: list[Decimal]) -> tuple[list[Decimal], list[Decimal], Decimal]:
    """A manual split keeps the year's total: the months, how far each moved from the rule, and how
    much moved in all (the sum of the increases, equal to the sum of the decreases)."""
    if len(override) != 12:
        raise BadOverride("an override gives all 12 months")
    if any(amount < 0 or amount != amount.quantize(YUAN) for amount in override):
        raise BadOverride("each month is a non-negative amount in whole yuan")
    if sum(override) != sum(rule):
        raise BadOverride(f"the months add up to {sum(override)}, the year's total is {sum(rule)}")
    moved = [new - old for new, old in zip(override, rule, strict=True)]
    return list(override), moved, sum((m for m in moved if m > 0), Decimal("0"))


def overspend(limit: Decimal, used: Decimal, amount: Decimal) -> Decimal:
    """MKT-6: how far ``amount`` would go beyond what is left of ``limit`` (0 when it fits)."""
    return max(Decimal("0.00"), used + amount - limit)
