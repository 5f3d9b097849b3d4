"""PAY-3 (2008 scheme, seed 001 §2.2.1.1): per-car commission by the consultant's count of cars in
the month, grade A 1st–10th 200, 11th–15th 250, 16th on 300; grade B 150 / 200 / 250."""

from dataclasses import dataclass
from decimal import Decimal

TIER_BOUNDS = (10, 15)
UNIT_RATES = {
    "A": (Decimal("200.00"), Decimal("250.00"), Decimal("300.00")),
    "B": (Decimal("150.00"), Decimal("200.00"), Decimal("250.00")),
}


@dataclass(frozen=True)
class UnitCommission:
    amount: Decimal
    rule: str


def tier_of(nth_car: int) -> int:
    if nth_car < 1:
        raise ValueError("cars are counted from 1")
    return sum(1 for bound in TIER_BOUNDS if nth_car > bound)


def unit_commission(grade: str, nth_car: int) -> UnitCommission:
    """Commission of the consultant's ``nth_car`` of the month, of car ``grade``."""
    if grade not in UNIT_RATES:
        raise ValueError(f"unknown car grade {grade!r}")
    tier = tier_of(nth_car)
    labels = ("1st-10th", "11th-15th", "16th on")
    return UnitCommission(
        UNIT_RATES[grade][tier], f"PAY-3 grade {grade} car {labels[tier]} of the month (car #{nth_car})"
    )


def clawback(original: UnitCommission) -> UnitCommission:
    """PAY-11: a cancelled sale gives its commission back as a line of its own."""
    return UnitCommission(-original.amount, f"PAY-11 clawback of: {original.rule}")
