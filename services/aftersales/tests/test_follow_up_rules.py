from datetime import UTC, date, datetime, timedelta, timezone

from aftersales.follow_ups.rules import follow_up_due_date, is_overdue

SHANGHAI = timezone(timedelta(hours=8))


def test_follow_up_due_three_working_days_after_delivery() -> None:
    assert follow_up_due_date(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)) == date(2026, 11, 25)


def test_follow_up_over_national_day_2025_lands_on_the_adjusted_working_saturday() -> None:
    assert follow_up_due_date(datetime(2025, 9, 30, 16, 0, tzinfo=SHANGHAI)) == date(2025, 10, 11)


def test_handover_late_evening_utc_counts_on_the_shanghai_date() -> None:
    # 2026-11-19 17:30 UTC is 2026-11-20 01:30 in Shanghai: a Friday handover
    assert follow_up_due_date(datetime(2026, 11, 19, 17, 30, tzinfo=UTC)) == date(2026, 11, 25)


def test_an_open_call_is_overdue_only_after_its_due_date() -> None:
    due = date(2026, 11, 25)
    assert not is_overdue(due, "open", date(2026, 11, 25))
    assert is_overdue(due, "open", date(2026, 11, 26))
    assert not is_overdue(due, "done", date(2026, 12, 1))
