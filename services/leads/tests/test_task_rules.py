"""LEAD-5 deadlines as pure rules."""

from datetime import UTC, date, datetime, timedelta

from leads.tasks import rules
from servicekit.calendar import SHANGHAI


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_a_web_lead_in_opening_hours_is_contacted_within_30_minutes() -> None:
    assert rules.first_contact_deadline(at(24, 10, 5)) == at(24, 10, 35)


def test_the_clock_stops_at_closing_and_runs_on_at_opening() -> None:
    assert rules.first_contact_deadline(at(24, 17, 50)) == at(25, 8, 50)


def test_a_lead_at_night_is_due_30_minutes_after_opening() -> None:
    assert rules.first_contact_deadline(at(24, 23, 0)) == at(25, 9, 0)
    assert rules.first_contact_deadline(at(25, 6, 0)) == at(25, 9, 0)


def test_a_closed_day_does_not_count() -> None:
    closed = {date(2026, 11, 25)}
    due = rules.first_contact_deadline(at(24, 17, 45), open_on=lambda d: d not in closed)
    assert due == at(26, 8, 45)


def test_the_deadline_is_the_same_moment_whatever_the_time_zone_of_the_input() -> None:
    assert rules.first_contact_deadline(at(24, 10, 5).astimezone(UTC)) == at(24, 10, 35)


def test_the_post_delivery_call_is_due_by_closing_on_the_third_day() -> None:
    assert rules.post_delivery_call_due(at(20, 10)) == at(23, 18)
    # a handover late in the evening UTC is already the next day in Shanghai
    assert rules.post_delivery_call_due(datetime(2026, 11, 20, 17, 0, tzinfo=UTC)) == at(24, 18)


def test_a_lead_without_a_follow_up_date_is_followed_up_the_next_day() -> None:
    assert rules.default_next_follow_up(at(24, 15)) == date(2026, 11, 25)


def test_birthdays_come_round_every_year_and_29_february_falls_on_28_february() -> None:
    assert rules.next_birthday(date(1990, 12, 1), date(2026, 11, 25)) == date(2026, 12, 1)
    assert rules.next_birthday(date(1990, 11, 25), date(2026, 11, 25)) == date(2026, 11, 25)
    assert rules.next_birthday(date(1990, 3, 1), date(2026, 11, 25)) == date(2027, 3, 1)
    assert rules.next_birthday(date(1992, 2, 29), date(2026, 11, 25)) == date(2027, 2, 28)
    assert rules.next_birthday(date(1992, 2, 29), date(2027, 11, 25)) == date(2028, 2, 29)


def test_purchase_anniversaries() -> None:
    assert rules.anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert rules.anniversary(date(2025, 11, 20), 2) == date(2027, 11, 20)


def test_the_agenda_of_today_reaches_to_midnight_and_includes_what_is_overdue() -> None:
    now = at(25, 10)
    assert rules.agenda_window("today", now) == datetime(2026, 11, 26, tzinfo=SHANGHAI)
    assert rules.agenda_window("overdue", now) == now
    assert rules.agenda_window("all", now) is None
    assert rules.is_overdue("open", now - timedelta(minutes=1), now)
    assert not rules.is_overdue("done", now - timedelta(minutes=1), now)
