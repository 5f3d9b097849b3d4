from decimal import Decimal

import pytest
from marketing.budgets.rules import InvalidMove, NoSalesHistory, fixed_and_activity, monthly_split, next_state

UNEVEN = [
    [31, 28, 45, 40, 52, 47, 39, 41, 60, 55, 50, 72],
    [29, 25, 48, 44, 50, 49, 41, 38, 63, 58, 54, 80],
    [35, 30, 41, 46, 55, 44, 40, 43, 66, 61, 57, 77],
]


def test_mkt2_the_million_splits_by_three_years_of_sales_and_adds_up_exactly() -> None:
    months = monthly_split(Decimal("1000000"), UNEVEN)
    assert sum(months) == Decimal("1000000")
    assert all(m == m.to_integral_value() for m in months)
    total = sum(sum(year) for year in UNEVEN)  # 1,883 cars
    december = sum(year[11] for year in UNEVEN)  # 229 cars: the largest share takes the leftover yuan
    floors = [int(Decimal(1000000) * sum(y[m] for y in UNEVEN) / total) for m in range(12)]
    assert months[:11] == [Decimal(f) for f in floors[:11]]
    assert months[11] == Decimal(floors[11]) + (1000000 - sum(floors))
    assert months[11] > Decimal(1000000) * december / total - 1


def test_a_month_with_no_sales_gets_nothing_and_a_tie_gives_the_leftover_to_the_earliest_month() -> None:
    history = [[0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]] * 3
    months = monthly_split(Decimal("1000"), history)
    assert months[0] == 0 and sum(months) == 1000
    assert months[1] == Decimal("100") and months[2:] == [Decimal("90")] * 10  # 1000/11 = 90.9 each; 10 left → Feb


def test_no_history_cannot_be_split() -> None:
    with pytest.raises(NoSalesHistory):
        monthly_split(Decimal("1000"), [[0] * 12] * 3)


def test_mkt3_fixed_and_activity_parts_of_a_month() -> None:
    assert fixed_and_activity(Decimal("83333"), Decimal("0.3")) == (Decimal("24999"), Decimal("58334"))


def test_budget_states_and_only_forward_moves() -> None:
    assert next_state("draft", "submit") == "submitted"
    assert next_state("submitted", "approve") == "approved"
    with pytest.raises(InvalidMove):
        next_state("draft", "approve")
