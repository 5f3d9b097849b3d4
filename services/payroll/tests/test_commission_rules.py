from decimal import Decimal

import pytest
from payroll.commissions.rules import clawback, unit_commission


@pytest.mark.parametrize(
    ("grade", "nth", "amount"),
    [
        ("A", 1, "200.00"),
        ("A", 10, "200.00"),
        ("A", 11, "250.00"),
        ("A", 15, "250.00"),
        ("A", 16, "300.00"),
        ("A", 40, "300.00"),
        ("B", 1, "150.00"),
        ("B", 10, "150.00"),
        ("B", 11, "200.00"),
        ("B", 15, "200.00"),
        ("B", 16, "250.00"),
    ],
)
def test_pay3_per_car_tiers_by_count_of_cars_in_the_month(grade: str, nth: int, amount: str) -> None:
    assert unit_commission(grade, nth).amount == Decimal(amount)


def test_rule_text_names_the_tier_and_the_car() -> None:
    assert unit_commission("A", 11).rule == "PAY-3 grade A car 11th-15th of the month (car #11)"


def test_clawback_is_the_negative_of_what_the_car_earned() -> None:
    line = clawback(unit_commission("B", 16))
    assert line.amount == Decimal("-250.00") and "PAY-11" in line.rule


@pytest.mark.parametrize(("grade", "nth"), [("C", 1), ("A", 0)])
def test_unknown_grade_or_car_zero_is_refused(grade: str, nth: int) -> None:
    with pytest.raises(ValueError):
        unit_commission(grade, nth)
