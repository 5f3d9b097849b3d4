from datetime import date
from decimal import Decimal

from aftersales.reports import rules
from aftersales.workshop_targets.rules import SEED, Targets, problem


def test_the_seed_s_targets_and_their_year_to_date_completion() -> None:
    assert (SEED.first, SEED.stretch) == (Decimal("2200000.00"), Decimal("2400000.00"))
    through_november = rules.year_to_date_target(SEED.first, 11)
    assert through_november == Decimal("2016666.67")  # 2.2 M × 11 ÷ 12
    assert rules.completion(Decimal("1980000.00"), through_november) == Decimal("0.9818")
    assert rules.completion(Decimal("1980000.00"), rules.year_to_date_target(SEED.stretch, 11)) == Decimal("0.9000")
    assert rules.year_to_date_target(SEED.routine, 1) == Decimal("150000.00")  # a month's routine target
    assert rules.completion(Decimal("5"), Decimal("0")) is None


def test_warranty_is_routine_output_and_accidents_are_their_own() -> None:
    assert [rules.output_kind(t) for t in ("maintenance", "repair", "warranty", "accident")] == [
        "routine",
        "routine",
        "routine",
        "accident",
    ]


def test_margin_at_the_ledger_s_moving_average_cost() -> None:
    """Two oil filters bought at 55.00 and 60.00 average 57.50 on the shelf; sold at 85.50 each with
    2.5 hours of labour at 180.00: output 621.00, cost 115.00, margin 506.00."""
    cost = 2 * (Decimal("55.00") + Decimal("60.00")) / 2
    got = rules.margin(Decimal("450.00") + Decimal("171.00"), cost)
    assert (got["amount"], got["cost"], got["margin"], got["margin_rate"]) == (
        Decimal("621.00"),
        Decimal("115.00"),
        Decimal("506.00"),
        Decimal("0.8148"),
    )


def test_a_day_s_average_intake_counts_the_month_s_days_so_far() -> None:
    november, december = date(2026, 11, 1), date(2026, 12, 1)
    assert rules.daily_average(240, november, december, today=date(2026, 12, 2)) == Decimal("8.00")  # 30 days
    assert rules.daily_average(20, december, date(2027, 1, 1), today=date(2026, 12, 2)) == Decimal("10.00")


def test_csi_and_the_ten_item_survey_on_their_own_scales() -> None:
    assert rules.csi([9, 10, 9, 9]) == Decimal("925.0")  # mean 9.25 of 10 → 925 of 1000
    assert rules.csi([]) is None
    full = [10, 9, 9, 10, 9, 9, 10, 9, 9, 8]  # ten answers summing to 92
    half = [8, 10]  # a call where two questions were asked: mean 9 → 90
    assert rules.survey_score([full]) == Decimal("92.0")
    assert rules.survey_score([full, half]) == Decimal("91.0")


def test_open_orders_by_days_in_the_workshop() -> None:
    today = date(2026, 12, 3)
    assert [rules.age_bucket(date(2026, 12, d), today) for d in (3, 2, 1)] == ["0-1", "0-1", "2-3"]
    assert rules.age_bucket(date(2026, 11, 26), today) == "4-7"
    assert rules.age_bucket(date(2026, 11, 20), today) == "8+"


def test_a_stretch_below_the_first_target_is_refused() -> None:
    assert problem(SEED) is None
    low = Targets(**{**vars(SEED), "stretch_accident": Decimal("300000")})
    assert problem(low) == "the stretch target is below the first target"
