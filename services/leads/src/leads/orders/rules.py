"""LEAD-8: a deal — model and grade, price against the store's floor price (销售限价), loan (bank,
handling fee), insurance bought with the car, accessories (price and cost), plate registration.

A quote below the floor price needs the sales manager's approval before it can be accepted; an order
is placed from an accepted quote with a deposit.
"""

from dataclasses import dataclass
from decimal import Decimal

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
