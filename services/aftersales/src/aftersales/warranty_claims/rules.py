"""CLM-1..4 warranty claims (索赔) to the manufacturer: their states, when one is due, its money, and
the warranty desk's two rates (seed 002, 售后部经理: 监控索赔一次经过率、拒赔率).

draft → submitted → accepted | rejected; rejected → resubmitted → accepted | rejected (as often as the
manufacturer refuses and the clerk corrects); accepted → paid. A draft may be cancelled.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

from pydantic import BaseModel
from servicekit.states import check_move

State = Literal["draft", "submitted", "accepted", "rejected", "resubmitted", "paid", "cancelled"]
STATES: tuple[str, ...] = get_args(State)
MOVES: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted", "cancelled"}),
    "submitted": frozenset({"accepted", "rejected"}),
    "rejected": frozenset({"resubmitted"}),
    "resubmitted": frozenset({"accepted", "rejected"}),
    "accepted": frozenset({"paid"}),
    "paid": frozenset(),
    "cancelled": frozenset(),
}
DECISIONS = frozenset({"accepted", "rejected"})
"""The manufacturer's answers to a submission."""
SUBMITTING = frozenset({"submitted", "resubmitted"})
SUBMIT_DAYS = 30
"""CLM-2: a claim is submitted within this many days of the repair (**our default**,
``AFTERSALES_WARRANTY_SUBMIT_DAYS``; manufacturers set their own window)."""
CENT = Decimal("0.01")
RATIO = Decimal("0.0001")
LineKind = Literal["labour", "part"]
LINE_KINDS: tuple[str, ...] = get_args(LineKind)


def check(state: str, to: str) -> None:
    check_move(MOVES, state, to, what="warranty claim")


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """CLM-1: labour is hours × the manufacturer's labour rate, a part is quantity × its price to the
    manufacturer; to the cent."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def claimed(lines: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """The claim's amount: the sum of its lines' (quantity, unit price) amounts."""
    return sum((line_amount(q, p) for q, p in lines), Decimal("0.00"))


def due_on(repaired_on: date, days: int = SUBMIT_DAYS) -> date:
    """CLM-2: the last day to submit: ``days`` calendar days after the repair (repaired 2026-11-02 →
    due 2026-12-02 with 30)."""
    return repaired_on + timedelta(days=days)


def late(due: date, *, first_submitted_on: date | None, today: date) -> bool:
    """CLM-2: submitted after its due day, or not submitted and the due day has passed. A claim
    submitted on its due day is on time."""
    return (first_submitted_on or today) > due


@dataclass(frozen=True)
class Answer:
    """One answer of the manufacturer: which submission of which claim (1 = the first), and how."""

    claim_id: str
    submission: int
    outcome: str  # accepted | rejected


@dataclass(frozen=True)
class Rates:
    decided: int
    """Claims with an answer in the period."""
    first_pass: int
    """Of those, the claims accepted on their first submission."""
    answers: int
    rejections: int
    first_pass_rate: Decimal | None
    rejection_rate: Decimal | None


def rates(answers: Iterable[Answer]) -> Rates:
    """CLM-3 over the manufacturer's answers of a period:

    - 索赔一次经过率 (first-pass rate) = claims accepted on their first submission ÷ claims answered;
    - 拒赔率 (rejection rate) = rejections ÷ answers (each answer counts: a claim refused once and then
      accepted is one refusal in two answers).
    """
    answered = list(answers)
    claims = {a.claim_id for a in answered}
    first = {a.claim_id for a in answered if a.outcome == "accepted" and a.submission == 1}
    refused = sum(1 for a in answered if a.outcome == "rejected")
    return Rates(
        decided=len(claims),
        first_pass=len(first),
        answers=len(answered),
        rejections=refused,
        first_pass_rate=_ratio(len(first), len(claims)),
        rejection_rate=_ratio(refused, len(answered)),
    )


def _ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(RATIO, rounding=ROUND_HALF_UP) if whole else None


class WarrantyClaimFigures(BaseModel):
    """CLM-3 figures of a month, as the APIs give them (the warranty desk's report and the workshop's)."""

    decided: int
    first_pass: int
    answers: int
    rejections: int
    first_pass_rate: Decimal | None
    """索赔一次经过率: claims accepted on their first submission ÷ claims answered in the month."""
    rejection_rate: Decimal | None
    """拒赔率: the month's refusals ÷ its answers."""
    submitted: int
    late_submissions: int
    claimed_amount: Decimal
    """Claimed by the claims first submitted in the month."""
    paid_amount: Decimal
    """Paid by the manufacturer in the month."""
