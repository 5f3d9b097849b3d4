from datetime import UTC, date, datetime

import pytest
from servicekit.calendar import business_date, is_working_day, nth_working_day_after


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
