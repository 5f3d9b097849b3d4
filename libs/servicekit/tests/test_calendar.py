from datetime import UTC, date, datetime

import pytest
from servicekit.calendar import business_date, instants_of, is_working_day, midnight, nth_working_day_after


@pytest.mark.parametrize(
    ("handover", "due"),
    [
        (date(2026, 11, 20), date(2026, 11, 25)),  # Fri: Mon, Tue, Wed (DOMAIN AS-4)
        (date(2025, 9, 30), date(2025, 10, 11)),  # National Day 2025: Oct 9, 10 and the working Sat 11th
        (date(2025, 9, 26), date(2025, 9, 30)),  # the working Sunday 2025-09-28 counts
        (date(2026, 9, 30), date(2026, 10, 10)),  # National Day 2026: Oct 8, 9 and the working Sat 10th
        (date(2026, 9, 18), date(2026, 9, 22)),  # the working Sunday 2026-09-20 counts
        (date(2026, 10, 1), date(2026, 10, 10)),  # a handover on a holiday
    ],
)
def test_third_working_day_after_handover(handover: date, due: date) -> None:
    assert nth_working_day_after(handover, 3) == due


def test_adjusted_weekends_work_and_holidays_do_not() -> None:
    assert is_working_day(date(2025, 10, 11)) and is_working_day(date(2025, 9, 28))
    assert not is_working_day(date(2025, 10, 8)) and not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 11, 21))


def test_business_date_is_shanghai_local() -> None:
    assert business_date(datetime(2026, 11, 19, 17, 0, tzinfo=UTC)) == date(2026, 11, 20)
    assert business_date(datetime(2026, 11, 19, 15, 59, tzinfo=UTC)) == date(2026, 11, 19)
    with pytest.raises(ValueError):
        business_date(datetime(2026, 11, 19, 15, 59))


def test_the_store_s_days_win_over_the_library_s_and_every_other_day_is_the_library_s() -> None:
    from servicekit.calendar import Calendar, YearEntry

    library = Calendar()
    # 2041: the library has the holidays and none of the adjusted working weekends
    assert not library.complete(2041) and not library.is_working_day(date(2041, 3, 2))  # a Saturday
    assert library.nth_working_day_after(date(2041, 3, 1), 3) == date(2041, 3, 6)  # Fri → Mon, Tue, Wed
    store = Calendar(
        {
            2041: YearEntry(
                holidays=frozenset({date(2041, 3, 4)}),  # a Monday given off (a moved holiday)
                working_days=frozenset({date(2041, 3, 2), date(2041, 3, 10)}),  # a Saturday and a Sunday worked
                source="made up for the test",
            )
        }
    )
    assert store.complete(2041) and store.origin(date(2041, 3, 2)) == "store"
    assert store.origin(date(2041, 3, 5)) == "library"
    assert store.nth_working_day_after(date(2041, 3, 1), 3) == date(2041, 3, 6)  # Sat 2, Tue 5, Wed 6
    assert store.nth_working_day_after(date(2041, 3, 7), 2) == date(2041, 3, 10)  # Fri 8, the working Sunday 10
    special = {d.day: (d.working, d.origin) for d in store.special_days(2041)}
    assert special[date(2041, 3, 2)] == (True, "store") and special[date(2041, 3, 4)] == (False, "store")
    assert special[date(2041, 1, 1)] == (False, "library")  # New Year's Day stays the library's


def test_a_year_is_flagged_when_needed_and_unknown_the_next_from_the_first_of_november() -> None:
    from servicekit.calendar import Calendar, YearEntry

    library = Calendar()
    assert library.complete(2026)  # the library has 2026's adjusted working weekends
    assert library.flagged(date(2026, 10, 31)) == []
    assert library.flagged(date(2026, 11, 1)) == [2027]
    entered = Calendar({2027: YearEntry(working_days=frozenset({date(2027, 2, 20)}), source="notice")})
    assert entered.flagged(date(2026, 12, 1)) == []


def test_a_store_day_begins_at_midnight_in_shanghai_and_a_period_ends_at_the_next_one() -> None:
    assert midnight(date(2026, 12, 2)) == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    # the last day of a year, inclusive: the period ends as the new year begins in Shanghai
    assert instants_of(date(2026, 12, 1), date(2026, 12, 31)) == (
        datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 16, 0, tzinfo=UTC),
    )
