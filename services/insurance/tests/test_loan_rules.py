from datetime import date
from decimal import Decimal

import pytest
from insurance.loans import rules
from servicekit.states import InvalidMove


def test_equal_instalments_of_a_three_year_loan_are_cents_exact() -> None:
    """100,000 over 36 months at 4.8 % a year: 2,988.12 a month (100000 × 0.004 ÷ (1 − 1.004^−36) =
    2988.1184…); the first month's interest is 400.00; the last instalment, 2,988.06, pays what the
    rounding left, so the principals sum to the amount exactly."""
    plan = rules.schedule(Decimal("100000.00"), Decimal("0.048"), 36, date(2026, 12, 15))
    assert rules.monthly_payment(Decimal("100000.00"), Decimal("0.048"), 36) == Decimal("2988.12")
    first, last = plan[0], plan[-1]
    assert (first.payment, first.interest, first.principal, first.balance_after) == (
        Decimal("2988.12"),
        Decimal("400.00"),
        Decimal("2588.12"),
        Decimal("97411.88"),
    )
    assert (last.number, last.due_on, last.payment, last.balance_after) == (
        36,
        date(2029, 11, 15),
        Decimal("2988.06"),
        Decimal("0.00"),
    )
    assert sum(i.principal for i in plan) == Decimal("100000.00")
    assert sum(i.payment for i in plan) == Decimal("107572.26")  # 7,572.26 of interest in all
    assert all(i.payment == Decimal("2988.12") for i in plan[:-1])


def test_an_interest_free_loan_and_a_month_end_due_day() -> None:
    """The seeds do not spell this out: a manufacturer's 0 % loan (厂家贴息) of 100,000 over 36 months
    is 2,777.78 a month and 2,777.70 at the end; due on the 31st falls on each month's last day."""
    plan = rules.schedule(Decimal("100000.00"), Decimal("0"), 36, date(2027, 1, 31))
    assert [i.payment for i in plan[:2]] == [Decimal("2777.78")] * 2 and plan[-1].payment == Decimal("2777.70")
    assert [i.due_on for i in plan[:4]] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert sum(i.principal for i in plan) == Decimal("100000.00") and all(i.interest == 0 for i in plan)
    with pytest.raises(ValueError, match="one month"):
        rules.monthly_payment(Decimal("1000"), Decimal("0.05"), 0)


def test_an_application_moves_only_along_the_chart() -> None:
    for state, to in [
        ("draft", "documents_complete"),
        ("documents_complete", "submitted"),
        ("submitted", "approved"),
        ("approved", "disbursed"),
        ("disbursed", "mortgage_registered"),
        ("mortgage_registered", "closed"),
        ("submitted", "declined"),
        ("draft", "withdrawn"),
    ]:
        rules.check(state, to)
    with pytest.raises(InvalidMove) as refusal:
        rules.check("draft", "submitted")  # not before every required document is in
    assert refusal.value.allowed == ["documents_complete", "withdrawn"]
    assert {"approved", "disbursed"} <= rules.APPROVED and "submitted" not in rules.APPROVED
