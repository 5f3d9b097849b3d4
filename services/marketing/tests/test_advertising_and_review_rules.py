"""MKT-7 soft-article cadence, MKT-2 manual override, MKT-5 review and MKT-9 timing as pure rules."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from marketing.advertising import rules as ads
from marketing.budgets import rules as budgets
from marketing.campaigns import rules as campaigns
from marketing.oem import rules as oem
from servicekit import calendar
from servicekit.calendar import SHANGHAI


def d(day: int) -> date:
    return date(2026, 11, day)


def test_one_soft_article_per_portal_every_two_days() -> None:
    assert ads.gaps([d(1), d(3), d(5)], d(1), d(6)) == []
    assert ads.gaps([d(2), d(3)], d(1), d(6)) == [(d(4), d(6))]
    assert ads.gaps([], d(1), d(4)) == [(d(1), d(4))]
    assert ads.gaps([d(1), d(4)], d(1), d(6)) == [(d(2), d(3)), (d(5), d(6))]
    assert ads.gaps([d(1), d(2)], d(1), d(2)) == []


def test_a_gap_of_exactly_two_days_breaks_the_rule() -> None:
    assert ads.gaps([d(1), d(4)], d(1), d(4)) == [(d(2), d(3))]


def test_an_override_keeps_the_total_and_says_how_far_it_moved() -> None:
    rule = [Decimal(n) for n in (100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100)]
    override = [Decimal(n) for n in (150, 50, 100, 100, 100, 100, 100, 100, 100, 100, 120, 80)]
    amounts, moved, total = budgets.apply_override(rule, override)
    assert amounts == override and moved[0] == 50 and moved[1] == -50 and total == 70
    with pytest.raises(budgets.BadOverride, match="add up to 1201"):
        budgets.apply_override(rule, [*override[:11], Decimal(81)])
    with pytest.raises(budgets.BadOverride, match="whole yuan"):
        budgets.apply_override(rule, [Decimal("150.5"), Decimal("49.5"), *override[2:]])


def test_a_review_lists_what_is_missing_and_targets_against_actuals() -> None:
    answers = {q: True for q in campaigns.REVIEW_QUESTIONS}
    assert campaigns.review_gaps(answers, "leads came from the roadshow", "repeat in May") == []
    assert campaigns.review_gaps({"owners_clear": False}, "", "x") == [
        "stage_targets_met",
        "handoffs_smooth",
        "spend_reasonable",
        "effect_evaluated",
        "analysis",
    ]
    assert campaigns.target_results({"leads": 200, "visits": 50}, {"leads": 230}) == {
        "leads": {"target": 200, "actual": 230, "met": True},
        "visits": {"target": 50, "actual": None, "met": None},
    }


def test_the_oem_report_goes_on_the_25th_before_the_1st() -> None:
    assert oem.next_run(datetime(2026, 11, 25, 8, tzinfo=SHANGHAI)) == datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)
    assert oem.next_run(datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)) == datetime(2026, 12, 25, 9, tzinfo=SHANGHAI)
    assert oem.next_run(datetime(2026, 12, 31, tzinfo=SHANGHAI)) == datetime(2027, 1, 25, 9, tzinfo=SHANGHAI)
    assert calendar.next_month("2026-12") == "2027-01"
    assert calendar.month_bounds("2027-02") == (date(2027, 2, 1), date(2027, 2, 28))
