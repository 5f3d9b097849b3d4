from datetime import date

import pytest
from aftersales.complaints.rules import InvalidAction, escalation, next_state
from aftersales.follow_ups.rules import Call, after_attempt, is_unhappy, summarize


def test_a_reached_customer_closes_the_call_and_three_unanswered_calls_give_up() -> None:
    assert after_attempt(0, "reached") == ("done", 1)
    assert after_attempt(0, "no_answer") == ("open", 1)
    assert after_attempt(1, "no_answer") == ("open", 2)
    assert after_attempt(2, "no_answer") == ("unreachable", 3)
    assert after_attempt(2, "reached") == ("done", 3)


def test_an_answer_of_six_or_less_or_a_stated_unhappiness_opens_a_complaint() -> None:
    assert not is_unhappy({"service": 9, "price": 7})
    assert is_unhappy({"service": 9, "price": 6})
    assert is_unhappy({"service": 10}, unhappy=True)


def test_monthly_summary_reach_on_time_and_satisfaction_by_staff() -> None:
    due = date(2026, 11, 25)
    calls = [
        Call("done", due, date(2026, 11, 24), "A1", {"q1": 10, "q2": 8}),
        Call("done", due, date(2026, 11, 27), "A1", {"q1": 6}),
        Call("unreachable", due, date(2026, 11, 26), "A2", {}),
        Call("open", due, None, "A2", {}),
    ]
    summary = summarize(calls)
    assert (summary["calls"], summary["reached"], summary["reach_rate"], summary["on_time_rate"]) == (4, 2, 0.5, 0.5)
    assert summary["average_satisfaction"] == 8.0
    assert summary["by_staff"]["A1"]["reach_rate"] == 1.0 and summary["by_staff"]["A2"]["average_satisfaction"] is None


def test_complaint_lifecycle_and_escalation() -> None:
    assert next_state("open", "assign") == "assigned"
    assert next_state("assigned", "resolve") == "resolved"
    assert next_state("resolved", "callback_unsatisfied") == "assigned"
    assert next_state("resolved", "callback_satisfied") == "closed"
    with pytest.raises(InvalidAction) as refused:
        next_state("open", "resolve")
    assert refused.value.allowed == ["assign"]
    assert (escalation("minor"), escalation("major"), escalation("critical")) == (
        None,
        "service_manager",
        "station_head",
    )
