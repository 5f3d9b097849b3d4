"""FIN-1..4 car loans (汽车消费信贷, seed 002's 金融保险部): an application's states and what each
step needs, the lender's document checklist, the risk desk's say on submitting, and the repayment
schedule.

draft → documents_complete → submitted → approved | declined | withdrawn; approved → disbursed →
mortgage_registered → closed. Until the money is paid out (disbursed) the customer may withdraw.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

from servicekit.states import check_move

State = Literal[
    "draft",
    "documents_complete",
    "submitted",
    "approved",
    "declined",
    "withdrawn",
    "disbursed",
    "mortgage_registered",
    "closed",
]
STATES: tuple[str, ...] = get_args(State)
MOVES: dict[str, frozenset[str]] = {
    "draft": frozenset({"documents_complete", "withdrawn"}),
    "documents_complete": frozenset({"submitted", "withdrawn"}),
    "submitted": frozenset({"approved", "declined", "withdrawn"}),
    "approved": frozenset({"disbursed", "withdrawn"}),
    "disbursed": frozenset({"mortgage_registered"}),
    "mortgage_registered": frozenset({"closed"}),
    "declined": frozenset(),
    "withdrawn": frozenset(),
    "closed": frozenset(),
}
APPROVED = frozenset({"approved", "disbursed", "mortgage_registered", "closed"})
"""FIN-3: the bank has said yes: a financed car may be handed over."""
CENT = Decimal("0.01")


STEP_FACTS: dict[str, tuple[str, ...]] = {
    "approved": ("approved_amount", "annual_rate", "term_months"),
    "declined": ("reason",),
    "withdrawn": ("reason",),
    "disbursed": ("contract_no", "disbursed_amount"),
}
"""FIN-1: what a move must say (the lender's answer; the payout); the days default to today."""
TERMS_EDITABLE = frozenset({"draft", "documents_complete"})
"""The applied terms may be corrected until the application goes to the lender."""
Outcome = Literal["pass", "refer", "reject"]
DECLINE_REASONS: dict[str, str] = {
    "income_insufficient": "收入不足 income too low for the instalment",
    "credit_record": "征信不良 poor credit record",
    "debt_ratio": "负债过高 too much existing debt",
    "documents_false": "资料不实 documents did not hold up",
    "lender_policy": "银行政策 outside the lender's policy",
    "other": "其他 other",
}
"""FIN-1: the store's starting list of reasons a lender declines; the store edits it."""


@dataclass(frozen=True)
class Document:
    code: str
    label: str
    required: bool = True


DOCUMENTS: tuple[Document, ...] = (
    Document("id_card", "身份证 ID card"),
    Document("household", "户口簿或居住证 household register or residence permit"),
    Document("income", "收入证明 proof of income"),
    Document("bank_statements", "银行流水 bank statements (6 months)"),
    Document("marriage", "婚姻状况证明 marriage status"),
    Document("driving_licence", "驾驶证 driving licence", required=False),
)
"""FIN-1: the checklist of a lender that has none of its own (``default``); the store edits it."""


def check(state: str, to: str) -> None:
    check_move(MOVES, state, to, what="loan application")


def missing(documents: list[tuple[str, bool, bool]]) -> list[str]:
    """FIN-1: the required documents not yet received, from (code, required, received)."""
    return [code for code, required, received in documents if required and not received]


def missing_facts(to: str, facts: dict[str, object]) -> list[str]:
    return [name for name in STEP_FACTS.get(to, ()) if facts.get(name) is None]


class RiskRefusal(ValueError):
    pass


def check_risk(outcome: str | None, *, manager: bool) -> None:
    """FIN-4: an application goes to the lender only after the risk desk's review: ``pass`` sends it,
    ``refer`` only with the finance manager's decision, ``reject`` never (the customer withdraws or
    brings a guarantor and is reviewed again)."""
    if outcome is None:
        raise RiskRefusal("the risk desk has not reviewed the application yet")
    if outcome == "reject":
        raise RiskRefusal("the risk desk rejected the application")
    if outcome == "refer" and not manager:
        raise RiskRefusal("the risk desk referred the application to the finance manager")


def check_approval(applied: Decimal, approved: Decimal) -> None:
    """FIN-1: a lender may approve less than was applied for, never more."""
    if approved > applied:
        raise ValueError(f"approved {approved} is more than the {applied} applied for")


def check_payout(approved: Decimal, paid_out: Decimal) -> None:
    if paid_out > approved:
        raise ValueError(f"paid out {paid_out} is more than the {approved} approved")


def first_due(disbursed_on: date) -> date:
    """FIN-2: the first instalment falls due a month after the payout, on the same day of the month
    (or the month's last)."""
    return _add_months(disbursed_on, 1)


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_payment(amount: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """FIN-2: the equal monthly instalment (等额本息) of ``amount`` over ``months`` at ``annual_rate``
    (0.048 for 4.8 %), to the cent: amount × r ÷ (1 − (1 + r)^−n) with r the monthly rate; a
    manufacturer's interest-free loan (0 %) is amount ÷ n."""
    if months < 1:
        raise ValueError("a loan runs at least one month")
    if annual_rate == 0:
        return _cents(amount / months)
    r = annual_rate / 12
    return _cents(amount * r / (1 - (1 + r) ** -months))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):  # the same day of the month, or the month's last
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def schedule(amount: Decimal, annual_rate: Decimal, months: int, first_due: date) -> list[Instalment]:
    """FIN-2: the repayment schedule, cents exact: each month's interest is the balance × the monthly
    rate to the cent, the principal the instalment less it; the last instalment pays what is left
    (it absorbs the rounding), so the principals sum to the amount exactly."""
    payment = monthly_payment(amount, annual_rate, months)
    r = annual_rate / 12
    balance = _cents(amount)
    rows = []
    for number in range(1, months + 1):
        interest = _cents(balance * r)
        principal = balance if number == months else payment - interest
        balance -= principal
        rows.append(
            Instalment(
                number=number,
                due_on=_add_months(first_due, number - 1),
                payment=principal + interest,
                principal=principal,
                interest=interest,
                balance_after=balance,
            )
        )
    return rows
