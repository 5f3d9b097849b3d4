"""CLM-5..6 insurance claims (理赔) for accident repairs (seed 002, 售后部经理: 处理保险理赔问题, 提高出单
理赔速度): what the insurer assessed, who pays what, and how fast each insurer pays.

reported (insurer and its claim number) → assessed (定损: amount, day, assessor; the customer's
excess) → paid (the insurer's payment received).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

from servicekit.states import check_move

State = Literal["reported", "assessed", "paid"]
STATES: tuple[str, ...] = get_args(State)
MOVES: dict[str, frozenset[str]] = {
    "reported": frozenset({"assessed"}),
    "assessed": frozenset({"assessed", "paid"}),  # a re-assessment (补充定损) replaces the first
    "paid": frozenset(),
}
CENT = Decimal("0.01")
DAYS = Decimal("0.1")


def check(state: str, to: str) -> None:
    check_move(MOVES, state, to, what="insurance claim")


def insurer_share(assessed: Decimal, excess: Decimal) -> Decimal:
    """CLM-5: the insurer pays the assessed amount less the customer's excess (免赔额), which cannot
    exceed it; 8,600.00 assessed with a 500.00 excess → 8,100.00."""
    if excess > assessed:
        raise ValueError("the excess is more than the assessed amount")
    return (assessed - excess).quantize(CENT, rounding=ROUND_HALF_UP)


def days_to_pay(assessed_on: date, paid_on: date) -> int:
    """CLM-6: calendar days from the assessment to the insurer's payment (出单理赔速度); paid on the
    day of the assessment is 0."""
    if paid_on < assessed_on:
        raise ValueError("paid before it was assessed")
    return (paid_on - assessed_on).days


@dataclass(frozen=True)
class InsurerFigures:
    insurer: str
    claims: int
    referred: int
    """保险推修: repairs the insurer sent to the store."""
    paid: int
    average_days_to_pay: Decimal | None
    assessed_amount: Decimal
    paid_amount: Decimal


def by_insurer(claims: Iterable[tuple[str, bool, Decimal | None, int | None, Decimal | None]]) -> list[InsurerFigures]:
    """CLM-6 per insurer over (insurer, referred, assessed amount, days to pay, paid amount) of each
    claim; the average over the paid ones, to a tenth of a day."""
    grouped: dict[str, list[tuple[bool, Decimal | None, int | None, Decimal | None]]] = {}
    for insurer, referred, assessed, days, paid in claims:
        grouped.setdefault(insurer, []).append((referred, assessed, days, paid))
    figures = []
    for insurer, rows in sorted(grouped.items()):
        waits = [days for _, _, days, _ in rows if days is not None]
        figures.append(
            InsurerFigures(
                insurer=insurer,
                claims=len(rows),
                referred=sum(1 for referred, *_ in rows if referred),
                paid=len(waits),
                average_days_to_pay=(
                    (Decimal(sum(waits)) / len(waits)).quantize(DAYS, rounding=ROUND_HALF_UP) if waits else None
                ),
                assessed_amount=sum((a for _, a, _, _ in rows if a is not None), Decimal("0.00")),
                paid_amount=sum((p for *_, p in rows if p is not None), Decimal("0.00")),
            )
        )
    return figures
