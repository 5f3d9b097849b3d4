from datetime import date
from decimal import Decimal

import pytest
from aftersales.insurance_claims import rules
from servicekit.states import InvalidMove


def test_the_insurer_pays_the_assessment_less_the_excess() -> None:
    assert rules.insurer_share(Decimal("8600.00"), Decimal("500.00")) == Decimal("8100.00")
    assert rules.insurer_share(Decimal("1200.00"), Decimal("0")) == Decimal("1200.00")
    with pytest.raises(ValueError, match="excess"):
        rules.insurer_share(Decimal("300.00"), Decimal("500.00"))


def test_days_from_assessment_to_payment_per_insurer() -> None:
    assert rules.days_to_pay(date(2026, 11, 3), date(2026, 11, 17)) == 14
    assert rules.days_to_pay(date(2026, 11, 3), date(2026, 11, 3)) == 0
    figures = rules.by_insurer(
        [
            ("PICC", True, Decimal("8600.00"), 14, Decimal("8100.00")),
            ("PICC", False, Decimal("2000.00"), 7, Decimal("2000.00")),
            ("PICC", True, Decimal("900.00"), None, None),  # assessed, not paid yet: no wait to count
            ("CPIC", False, None, None, None),  # reported only
        ]
    )
    assert [(f.insurer, f.claims, f.referred, f.paid) for f in figures] == [("CPIC", 1, 0, 0), ("PICC", 3, 2, 2)]
    picc = figures[1]
    assert (picc.average_days_to_pay, picc.assessed_amount, picc.paid_amount) == (
        Decimal("10.5"),
        Decimal("11500.00"),
        Decimal("10100.00"),
    )
    assert figures[0].average_days_to_pay is None


def test_a_claim_is_assessed_before_it_is_paid_and_may_be_assessed_again() -> None:
    rules.check("reported", "assessed")
    rules.check("assessed", "assessed")
    rules.check("assessed", "paid")
    with pytest.raises(InvalidMove) as refusal:
        rules.check("reported", "paid")
    assert refusal.value.allowed == ["assessed"]
