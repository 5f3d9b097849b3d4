"""PARTS-9 the parts department's numbers (seed 002, 售后部经理: 监控备件满足率、配件周转率、最大库存数、
积压库存数) and KPI-1..4 the workshop's; pure arithmetic over figures the reports read."""

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


# KPI-1..4: the workshop's numbers (seed 002, 售后部经理: 统计服务顾问日均接车量、月度产值、毛利; seed 001's
# targets). Pure arithmetic over the figures the report reads.

ROUTINE = frozenset({"maintenance", "repair", "warranty"})
"""KPI-2: 日常维修(含保修): routine maintenance and repairs, warranty included; the rest is accident."""
CSI_ITEM = "overall"
"""KPI-3: the survey question whose answer the CSI index is read from."""


def output_kind(repair_type: str) -> str:
    """KPI-2: a repair order's output is ``routine`` (incl. warranty) or ``accident``."""
    return "routine" if repair_type in ROUTINE else "accident"


def daily_average(received: int, first: date, following: date, today: date) -> Decimal | None:
    """KPI-1: cars received ÷ the month's days so far (all of them for a past month; up to and
    including today for the current one; **our default**: the workshop opens every day)."""
    last = min(following - timedelta(days=1), today)
    days = (last - first).days + 1
    return (Decimal(received) / days).quantize(CENT, rounding=ROUND_HALF_UP) if days > 0 else None


def completion(output: Decimal, target: Decimal) -> Decimal | None:
    """Output ÷ target, to four places; no target, no completion."""
    return (output / target).quantize(RATIO, rounding=ROUND_HALF_UP) if target > 0 else None


def year_to_date_target(annual: Decimal, months: int) -> Decimal:
    """KPI-2: the year's target spread evenly over its months (**our default**): through month
    ``months`` it is annual × months ÷ 12 (2.2 M through November → 2,016,666.67)."""
    return (annual * months / 12).quantize(CENT, rounding=ROUND_HALF_UP)


def csi(overall_scores: Sequence[int]) -> Decimal | None:
    """KPI-3: the CSI index on the manufacturer's 1000-point scale from the 1-10 answers to the
    ``overall`` question of the after-service calls: their mean × 100 (9.2 → 920; target ≥ 900)."""
    if not overall_scores:
        return None
    return (Decimal(sum(overall_scores)) * 100 / len(overall_scores)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def survey_score(calls: Sequence[Sequence[int]]) -> Decimal | None:
    """KPI-3: the ten-item survey (十项调查) on its 100-point scale: each call's mean answer (1-10)
    × 10 — ten answers summed when all ten were asked — averaged over the calls (target ≥ 92)."""
    scored = [answers for answers in calls if answers]
    if not scored:
        return None
    per_call = [Decimal(sum(answers)) * 10 / len(answers) for answers in scored]
    return (sum(per_call, Decimal(0)) / len(per_call)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


AGE_BUCKETS: tuple[tuple[str, int], ...] = (("0-1", 1), ("2-3", 3), ("4-7", 7), ("8+", 10**6))
"""KPI-4: how long the open repair orders have been in the workshop, in days since reception."""


def age_bucket(opened_on: date, today: date) -> str:
    days = (today - opened_on).days
    return next(name for name, upto in AGE_BUCKETS if days <= upto)
