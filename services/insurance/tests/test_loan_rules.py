import importlib.util
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from insurance.loans import rules
from servicekit.states import InvalidMove


def test_equal_instalments_of_a_three_year_loan_are_cents_exact() -> None:
    """100,000 over 36 months at 4.8 % a year: 2,988.12 a month (100000 × 0.004 ÷ (1 − 1.004^−36) =
    2988.1184…); the first month's interest is 400.00; the last instalment, 2,988.06, pays what the
    rounding left, so the principals sum to the amount exactly."""
    plan = rules.schedule(Decimal("100000.00"), Decimal("0.048"), 36, date(2026, 12, 15))
    assert rules.monthly_payment(Decimal("100000.00"), Decimal("0.048"), 36) == Decimal("2988.12")
    first, last = plan[0], plan[-1]
    assert (first.payment, first.interest, first.principal, first.balance_after) == (
        Decimal("2988.12"),
        Decimal("400.00"),
        Decimal("2588.12"),
        Decimal("97411.88"),
    )
    assert (last.number, last.due_on, last.payment, last.balance_after) == (
        36,
        date(2029, 11, 15),
        Decimal("2988.06"),
        Decimal("0.00"),
    )
    assert sum(i.principal for i in plan) == Decimal("100000.00")
    assert sum(i.payment for i in plan) == Decimal("107572.26")  # 7,572.26 of interest in all
    assert all(i.payment == Decimal("2988.12") for i in plan[:-1])


def test_an_interest_free_loan_and_a_month_end_due_day() -> None:
    """The seeds do not spell this out: a manufacturer's 0 % loan (厂家贴息) of 100,000 over 36 months
    is 2,777.78 a month and 2,777.70 at the end; due on the 31st falls on each month's last day."""
    plan = rules.schedule(Decimal("100000.00"), Decimal("0"), 36, date(2027, 1, 31))
    assert [i.payment for i in plan[:2]] == [Decimal("2777.78")] * 2 and plan[-1].payment == Decimal("2777.70")
    assert [i.due_on for i in plan[:4]] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert sum(i.principal for i in plan) == Decimal("100000.00") and all(i.interest == 0 for i in plan)
    with pytest.raises(ValueError, match="one month"):
        rules.monthly_payment(Decimal("1000"), Decimal("0.05"), 0)


def test_an_application_moves_only_along_the_chart() -> None:
    for state, to in [
        ("draft", "documents_complete"),
        ("documents_complete", "submitted"),
        ("submitted", "approved"),
        ("approved", "disbursed"),
        ("disbursed", "mortgage_registered"),
        ("mortgage_registered", "closed"),
        ("submitted", "declined"),
        ("draft", "withdrawn"),
    ]:
        rules.check(state, to)
    with pytest.raises(InvalidMove) as refusal:
        rules.check("draft", "submitted")  # not before every required document is in
    assert refusal.value.allowed == ["documents_complete", "withdrawn"]
    assert {"approved", "disbursed"} <= rules.APPROVED and "submitted" not in rules.APPROVED


def test_submission_waits_for_every_required_document_but_not_the_optional_ones() -> None:
    docs = [(d.code, d.required, d.code in {"id_card", "household", "income"}) for d in rules.DOCUMENTS]
    assert rules.missing(docs) == ["bank_statements", "marriage"]  # the driving licence is optional
    assert rules.missing([(c, r, c != "driving_licence") for c, r, _ in docs]) == []


@pytest.mark.parametrize(
    ("outcome", "manager", "refused"),
    [
        ("pass", False, False),
        ("refer", False, True),
        ("refer", True, False),  # the finance manager decides a referred application
        ("reject", True, True),
        (None, True, True),
    ],
)
def test_only_a_reviewed_application_goes_to_the_lender(outcome: str | None, manager: bool, refused: bool) -> None:
    if refused:
        with pytest.raises(rules.RiskRefusal):
            rules.check_risk(outcome, manager=manager)
    else:
        rules.check_risk(outcome, manager=manager)


def test_a_lender_approves_and_pays_out_at_most_what_was_asked() -> None:
    rules.check_approval(Decimal("80000"), Decimal("70000"))
    with pytest.raises(ValueError, match="more than"):
        rules.check_approval(Decimal("80000"), Decimal("80000.01"))
    with pytest.raises(ValueError, match="paid out"):
        rules.check_payout(Decimal("70000"), Decimal("70001"))


def test_each_step_names_what_it_needs_and_the_first_instalment_is_a_month_after_payout() -> None:
    assert rules.missing_facts("approved", {"approved_amount": Decimal("1"), "term_months": 36}) == ["annual_rate"]
    assert rules.missing_facts("declined", {}) == ["reason"]
    assert rules.missing_facts("mortgage_registered", {}) == []
    assert rules.first_due(date(2026, 1, 31)) == date(2026, 2, 28)  # the month's last day when it is shorter


def test_the_migration_seeds_the_lists_the_rules_start_from() -> None:
    path = Path(__file__).parents[1] / "migrations" / "versions" / "insurance_0005_car_loan_applications.py"
    spec = importlib.util.spec_from_file_location("insurance_0005", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert [(d.code, d.label, d.required) for d in rules.DOCUMENTS] == migration.DOCUMENTS
    assert dict(migration.DECLINE_REASONS) == rules.DECLINE_REASONS
