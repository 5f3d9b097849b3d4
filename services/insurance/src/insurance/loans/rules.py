"""FIN-1..2 car loans (汽车消费信贷, seed 002's 金融保险部): an application's states and its repayment
schedule. (The rules come first; the applications, the risk desk and the banks' batches build on
them, issue #21.)

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


def check(state: str, to: str) -> None:
    check_move(MOVES, state, to, what="loan application")


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
