"""INS-3 renewals and INS-4/INS-5 reports as pure rules."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from insurance.renewals import rules
from insurance.reports import rules as reports
from servicekit.calendar import SHANGHAI, is_working_day


def test_reminders_follow_the_schedule_and_a_late_policy_gets_only_what_is_left() -> None:
    expires = date(2027, 3, 31)
    assert rules.opens_on(expires) == date(2026, 12, 31)
    assert rules.reminders(expires, date(2026, 12, 1)) == [
        (90, date(2026, 12, 31)),
        (60, date(2027, 1, 30)),
        (30, date(2027, 3, 1)),
        (7, date(2027, 3, 24)),
    ]
    assert rules.reminders(expires, date(2027, 2, 15)) == [(30, date(2027, 3, 1)), (7, date(2027, 3, 24))]
    assert rules.reminders(expires, date(2027, 4, 1)) == []
    assert rules.reminders(expires, date(2026, 12, 1), schedule=(45, 15)) == [
        (45, date(2027, 2, 14)),
        (15, date(2027, 3, 16)),
    ]


def test_the_call_is_due_within_3_days_of_the_quote() -> None:
    quoted = datetime(2026, 11, 25, 10, tzinfo=SHANGHAI)
    due = rules.call_due(quoted)
    assert due == datetime(2026, 11, 28, 10, tzinfo=SHANGHAI)
    assert not rules.call_overdue("quoted", due, None, due)
    assert rules.call_overdue("quoted", due, None, due + timedelta(seconds=1))
    assert not rules.call_overdue("quoted", due, quoted + timedelta(days=1), due + timedelta(days=1))
    assert not rules.call_overdue("renewed", due, None, due + timedelta(days=1))


def test_a_new_policy_starting_60_days_before_to_30_days_after_the_expiry_renews_it() -> None:
    expires = date(2027, 3, 31)
    assert rules.renews(expires, date(2027, 4, 1))
    assert rules.renews(expires, date(2027, 1, 30))
    assert not rules.renews(expires, date(2027, 1, 29))
    assert rules.renews(expires, date(2027, 4, 30))
    assert not rules.renews(expires, date(2027, 5, 1))


def test_commercial_cover_is_anything_beyond_the_compulsory_insurance() -> None:
    assert not rules.commercial(["compulsory"])
    assert rules.commercial(["compulsory", "third_party"])


def test_the_weekly_report_runs_on_monday_morning_even_when_monday_is_a_holiday() -> None:
    national_day_monday = date(2026, 10, 5)
    assert national_day_monday.weekday() == 0 and not is_working_day(national_day_monday)
    run = reports.next_weekly_run(datetime(2026, 10, 3, 12, tzinfo=SHANGHAI))
    assert run == datetime(2026, 10, 5, 8, tzinfo=SHANGHAI)
    assert reports.period_of("weekly", run) == (date(2026, 9, 28), date(2026, 10, 4))


def test_the_next_weekly_run_is_strictly_later() -> None:
    monday_8 = datetime(2026, 11, 23, 8, tzinfo=SHANGHAI)
    assert reports.next_weekly_run(monday_8) == monday_8 + timedelta(days=7)
    assert reports.next_weekly_run(monday_8 - timedelta(minutes=1)) == monday_8
    assert reports.next_weekly_run(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == monday_8  # 07:30 in Shanghai


def test_the_monthly_report_comes_on_the_1st_before_the_5th_whatever_the_holidays() -> None:
    run = reports.next_monthly_run(datetime(2026, 9, 20, tzinfo=SHANGHAI))
    assert run == datetime(2026, 10, 1, 8, tzinfo=SHANGHAI)  # National Day: still on the 1st
    assert reports.period_of("monthly", run) == (date(2026, 9, 1), date(2026, 9, 30))
    assert reports.next_monthly_run(run) == datetime(2026, 11, 1, 8, tzinfo=SHANGHAI)
    assert reports.next_monthly_run(datetime(2026, 12, 15, tzinfo=SHANGHAI)) == datetime(2027, 1, 1, 8, tzinfo=SHANGHAI)


def test_commission_reconciliation_lists_every_difference() -> None:
    expected = [
        reports.Expected("P1", Decimal("3000"), Decimal("450.00")),
        reports.Expected("P2", Decimal("2000"), Decimal("300.00")),
        reports.Expected("P3", Decimal("1000"), Decimal("150.00")),
        reports.Expected("P4", Decimal("900"), None),
    ]
    result = reports.reconcile(expected, {"P1": Decimal("450.00"), "P2": Decimal("280.00"), "P9": Decimal("50.00")})
    assert [(d["policy_no"], d["status"], d["difference"]) for d in result["differences"]] == [
        ("P2", "short", Decimal("-20.00")),
        ("P3", "not_paid", None),
        ("P4", "no_rate", None),
        ("P9", "unknown_policy", Decimal("50.00")),
    ]
    assert (result["expected_total"], result["received_total"], result["difference_total"]) == (
        Decimal("900.00"),
        Decimal("780.00"),
        Decimal("-120.00"),
    )
