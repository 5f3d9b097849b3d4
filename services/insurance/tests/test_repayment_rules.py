from decimal import Decimal

import pytest
from insurance.repayments import rules


@pytest.mark.parametrize(
    ("days", "level"), [(0, 0), (1, 0), (29, 0), (30, 1), (59, 1), (60, 2), (89, 2), (90, 3), (400, 3)]
)
def test_fin6_a_collection_goes_up_a_level_at_30_60_and_90_days(days: int, level: int) -> None:
    assert rules.level(days) == level
    assert rules.escalated(level) is (level >= 1)  # from 30 days on it is the finance manager's


def test_fin5_a_statement_says_what_was_paid_so_far_never_less_never_more_than_the_instalment() -> None:
    rules.check_repayment(Decimal("800.00"), Decimal("0"), Decimal("1725.32"))
    rules.check_repayment(Decimal("1725.32"), Decimal("800.00"), Decimal("1725.32"))
    for amount, recorded in (("700.00", "800.00"), ("1725.33", "0"), ("0", "0")):
        with pytest.raises(rules.RepaymentRefused):
            rules.check_repayment(Decimal(amount), Decimal(recorded), Decimal("1725.32"))
    assert rules.paid_in_full(Decimal("1725.32"), Decimal("1725.32"))
    assert not rules.paid_in_full(Decimal("1725.32"), Decimal("1725.31"))
