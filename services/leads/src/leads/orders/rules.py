"""LEAD-8: a deal — model and grade, price against the store's floor price (销售限价), loan (bank,
handling fee), insurance bought with the car, accessories (price and cost), plate registration.

A quote below the floor price needs the sales manager's approval before it can be accepted; an order
is placed from an accepted quote with a deposit.
"""

from dataclasses import dataclass
from decimal import Decimal

LOAN_CLEARED = frozenset({"approved", "disbursed", "withdrawn"})
"""FIN-3: the loan states (from the F&I office's events) in which a financed car may be handed over:
the lender approved, or paid out, or the customer withdrew the loan and pays in full."""
LOAN_STATES = ("applied", "approved", "declined", "withdrawn", "disbursed")


def loan_holds_handover(financed: bool, loan_state: str | None) -> bool:
    """FIN-3: a financed order waits for its lender: quoted with a loan and not yet answered, applied
    for, or declined. A cash order with no application is never held."""
    if loan_state is None:
        return financed
    return loan_state not in LOAN_CLEARED


def loan_of_sale(
    quoted: dict[str, object] | None, loan_state: str | None, approved: dict[str, object] | None
) -> dict[str, object] | None:
    """FIN-3/PAY-5: the loan a handover carries (payroll pays on its handling fee): the approved one,
    the quoted one while the lender has not answered (a manager's override), none once the loan was
    declined or withdrawn (the car was paid in full)."""
    if loan_state in ("declined", "withdrawn"):
        return None
    if approved is not None and loan_state in ("approved", "disbursed"):
        return approved
    return quoted


QUOTE_MOVES = {
    "pending_approval": {"open", "declined"},
    "open": {"accepted", "declined"},
    "accepted": set(),
    "declined": set(),
}


@dataclass(frozen=True)
class QuoteFigures:
    list_price: Decimal
    price: Decimal
    floor_price: Decimal
    accessories_price: Decimal = Decimal("0")
    insurance_premium: Decimal = Decimal("0")
    loan_handling_fee: Decimal = Decimal("0")
    plate_fee: Decimal = Decimal("0")


def discount(q: QuoteFigures) -> Decimal:
    return q.list_price - q.price


def below_floor(q: QuoteFigures) -> bool:
    return q.price < q.floor_price


def total(q: QuoteFigures) -> Decimal:
    """What the customer pays in all: the car, accessories, insurance, the loan's fee, the plate."""
    return q.price + q.accessories_price + q.insurance_premium + q.loan_handling_fee + q.plate_fee


def initial_status(q: QuoteFigures) -> str:
    return "pending_approval" if below_floor(q) else "open"


def check_quote_move(status: str, to: str) -> None:
    if to not in QUOTE_MOVES[status]:
        allowed = ", ".join(sorted(QUOTE_MOVES[status])) or "none"
        raise ValueError(f"a {status} quote cannot become {to}; allowed: {allowed}")


def check_deposit(deposit: Decimal, price: Decimal) -> None:
    if deposit <= 0 or deposit > price:
        raise ValueError("the deposit is more than zero and at most the car's price")
