from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from aftersales.reminders.rules import add_months, next_due_date, remind_at, reminders_for


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 20), 6, date(2027, 5, 20)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
    ],
)
def test_months_are_added_and_clamped_to_the_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_reminders_two_weeks_before_and_on_the_due_date() -> None:
    due = next_due_date(date(2026, 11, 20), 6)
    before, on_due = reminders_for(due)
    assert (before.kind, before.remind_on, before.due_date) == ("before", date(2027, 5, 6), due)
    assert (on_due.kind, on_due.remind_on) == ("due", date(2027, 5, 20))


def test_reminders_are_worked_from_nine_in_shanghai() -> None:
    assert remind_at(date(2027, 5, 6)) == datetime(2027, 5, 6, 1, 0, tzinfo=UTC).astimezone(
        timezone(timedelta(hours=8))
    )


def test_an_interval_is_at_least_a_month() -> None:
    with pytest.raises(ValueError):
        next_due_date(date(2026, 1, 1), 0)


def test_a_car_driven_a_lot_is_due_by_kilometres_before_the_months_run_out() -> None:
    from aftersales.reminders.rules import km_per_day

    pace = km_per_day([(date(2026, 1, 10), 10_000), (date(2026, 3, 11), 16_000), (date(2026, 2, 1), 12_000)])
    assert pace == 100.0  # 6,000 km in 60 days
    assert next_due_date(date(2026, 3, 11), 6, 5000, pace) == date(2026, 4, 30)
    assert next_due_date(date(2026, 3, 11), 6, 5000, 10.0) == date(2026, 9, 11)  # slow driver: months first
    assert next_due_date(date(2026, 3, 11), 6, 5000, None) == date(2026, 9, 11)


def test_no_pace_without_a_month_of_rising_readings() -> None:
    from aftersales.reminders.rules import km_per_day

    assert km_per_day([(date(2026, 1, 1), 1000)]) is None
    assert km_per_day([(date(2026, 1, 1), 1000), (date(2026, 1, 20), 3000)]) is None
    assert km_per_day([(date(2026, 1, 1), 3000), (date(2026, 5, 1), 3000)]) is None


def test_the_second_reminder_comes_as_the_date_draws_near_as_many_days_before_as_the_store_sets() -> None:
    due = date(2027, 3, 15)
    assert [r.remind_on for r in reminders_for(due, 3)] == [date(2027, 3, 1), date(2027, 3, 12)]
    assert reminders_for(due, 0)[1].remind_on == due  # our default: on the day
    for days in (-1, 14):
        with pytest.raises(ValueError):
            reminders_for(due, days)
