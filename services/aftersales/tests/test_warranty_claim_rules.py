from datetime import date
from decimal import Decimal

import pytest
from aftersales.warranty_claims import rules
from aftersales.warranty_claims.rules import Answer
from servicekit.states import InvalidMove


def test_a_month_of_answers_with_a_resubmitted_claim() -> None:
    """November: A accepted at once; B refused, corrected and accepted on its second submission;
    C refused and not yet resubmitted; D waits for its answer (no answer, not counted)."""
    november = [
        Answer("A", 1, "accepted"),
        Answer("B", 1, "rejected"),
        Answer("C", 1, "rejected"),
        Answer("B", 2, "accepted"),
    ]
    got = rules.rates(november)
    assert (got.decided, got.first_pass, got.answers, got.rejections) == (3, 1, 4, 2)
    assert got.first_pass_rate == Decimal("0.3333")  # 1 of 3 answered claims passed at once
    assert got.rejection_rate == Decimal("0.5000")  # 2 refusals in 4 answers


def test_a_claim_accepted_on_resubmission_in_the_next_month_is_no_first_pass_there() -> None:
    december = rules.rates([Answer("C", 2, "accepted")])
    assert (december.first_pass_rate, december.rejection_rate) == (Decimal("0.0000"), Decimal("0.0000"))
    assert rules.rates([]).first_pass_rate is None  # nothing answered: no rate, not 0


def test_submission_is_due_thirty_days_after_the_repair_and_the_due_day_itself_is_on_time() -> None:
    due = rules.due_on(date(2026, 11, 2))
    assert due == date(2026, 12, 2)
    assert not rules.late(due, first_submitted_on=date(2026, 12, 2), today=date(2026, 12, 20))
    assert rules.late(due, first_submitted_on=date(2026, 12, 3), today=date(2026, 12, 3))
    assert rules.late(due, first_submitted_on=None, today=date(2026, 12, 3))  # a draft past its day
    assert not rules.late(due, first_submitted_on=None, today=date(2026, 12, 1))
    assert rules.due_on(date(2026, 11, 2), days=14) == date(2026, 11, 16)


def test_the_claim_is_labour_hours_at_the_oem_rate_and_parts_at_the_oem_price() -> None:
    lines = [
        (Decimal("1.5"), Decimal("120.00")),  # hours at the OEM labour rate
        (Decimal("2"), Decimal("385.50")),  # parts at the OEM price
        (Decimal("0.35"), Decimal("99.99")),  # 34.9965 → 35.00
    ]
    assert rules.claimed(lines) == Decimal("180.00") + Decimal("771.00") + Decimal("35.00")


@pytest.mark.parametrize(
    ("state", "to", "allowed"),
    [
        ("draft", "accepted", ["cancelled", "submitted"]),
        ("submitted", "paid", ["accepted", "rejected"]),
        ("rejected", "submitted", ["resubmitted"]),
        ("paid", "rejected", []),
    ],
)
def test_a_move_outside_the_chart_names_the_allowed_ones(state: str, to: str, allowed: list[str]) -> None:
    with pytest.raises(InvalidMove) as refusal:
        rules.check(state, to)
    assert refusal.value.allowed == allowed


def test_refused_claims_go_round_as_often_as_they_are_corrected() -> None:
    for state, to in [
        ("draft", "submitted"),
        ("submitted", "rejected"),
        ("rejected", "resubmitted"),
        ("resubmitted", "rejected"),
        ("rejected", "resubmitted"),
        ("resubmitted", "accepted"),
        ("accepted", "paid"),
    ]:
        rules.check(state, to)
