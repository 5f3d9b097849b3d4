"""LEAD-3, a test per sentence of the ownership rule, and LEAD-4's state machine."""

from datetime import datetime, timedelta

import pytest
from leads.prospects import rules
from leads.prospects.rules import InvalidMove, Ownership, Visit, allowed_moves, check_move, owner_after_visit

T0 = datetime(2026, 11, 2, 10, 0)


def test_first_reception_creates_the_file_and_ownership() -> None:
    owner, why = owner_after_visit(Ownership(None, None, False), Visit(T0, "S1"))
    assert owner == "S1" and "first receives" in why


def test_back_more_than_a_week_later_without_a_call_and_not_asking_for_the_owner_moves_to_the_receiver() -> None:
    current = Ownership("S1", T0, owner_called_since_last_visit=False)
    owner, _ = owner_after_visit(current, Visit(T0 + timedelta(days=8), "S2"))
    assert owner == "S2"


def test_within_a_week_the_owner_keeps_the_customer() -> None:
    current = Ownership("S1", T0, owner_called_since_last_visit=False)
    assert owner_after_visit(current, Visit(T0 + timedelta(days=7), "S2"))[0] == "S1"


def test_an_owner_who_phoned_in_between_keeps_the_customer() -> None:
    current = Ownership("S1", T0, owner_called_since_last_visit=True)
    assert owner_after_visit(current, Visit(T0 + timedelta(days=20), "S2"))[0] == "S1"


def test_a_customer_asking_for_the_owner_stays_with_the_owner() -> None:
    current = Ownership("S1", T0, owner_called_since_last_visit=False)
    assert owner_after_visit(current, Visit(T0 + timedelta(days=20), "S2", asked_for="S1"))[0] == "S1"


def test_a_visit_booked_by_a_consultants_call_stays_with_that_consultant() -> None:
    current = Ownership("S1", T0, owner_called_since_last_visit=False)
    owner, why = owner_after_visit(current, Visit(T0 + timedelta(days=20), "S2", booked_by="S3"))
    assert owner == "S3" and "booked" in why


def test_several_receivers_under_one_sales_policy_the_customer_chooses() -> None:
    current = Ownership("S1", T0, owner_called_since_last_visit=True)
    assert owner_after_visit(current, Visit(T0 + timedelta(days=2), "S2", chosen_by_customer="S2"))[0] == "S2"


def test_companies_with_a_signed_agreement_belong_to_key_account_staff() -> None:
    staff = frozenset({"K1"})
    company = Ownership(None, None, False, company_buyer=True, key_account_agreement=True)
    assert owner_after_visit(company, Visit(T0, "S1"), key_account_staff=staff)[0] is None
    assert owner_after_visit(company, Visit(T0, "K1"), key_account_staff=staff)[0] == "K1"
    held = Ownership("K1", T0, False, company_buyer=True, key_account_agreement=True)
    assert owner_after_visit(held, Visit(T0 + timedelta(days=30), "S2"), key_account_staff=staff)[0] == "K1"


def test_a_company_without_an_agreement_is_the_showroom_s_and_follows_the_showroom_rules() -> None:
    """LEAD-3 corrected (没有签约的公司,集团,单位属于展厅): the first consultant to receive it owns it."""
    staff = frozenset({"K1"})
    company = Ownership(None, None, False, company_buyer=True)
    assert owner_after_visit(company, Visit(T0, "S1"), key_account_staff=staff)[0] == "S1"
    held = Ownership("S1", T0, False, company_buyer=True)
    late = Visit(T0 + timedelta(days=8), "K1")
    assert owner_after_visit(held, late, key_account_staff=staff)[0] == "K1"  # the one-week rule, as for anyone


def test_a_key_account_worked_by_a_specialist_goes_to_them_when_someone_else_holds_the_file() -> None:
    """A case the seed leaves open: the file is held by a showroom consultant, a key-account specialist
    has a contact record with the company."""
    staff = frozenset({"K1", "K2"})
    held = Ownership(
        "S1", T0, False, company_buyer=True, key_account_agreement=True, key_account_contacts=frozenset({"K2"})
    )
    assert owner_after_visit(held, Visit(T0 + timedelta(days=1), "S1"), key_account_staff=staff)[0] == "K2"


@pytest.mark.parametrize(
    ("state", "to"),
    [
        ("new", "contacted"),
        ("contacted", "visited"),
        ("visited", "test_driven"),
        ("test_driven", "quoted"),
        ("visited", "quoted"),
        ("quoted", "ordered"),
        ("ordered", "delivered"),
        ("lost", "contacted"),
    ],
)
def test_lead4_forward_moves_and_reopening(state: str, to: str) -> None:
    check_move(state, to)


@pytest.mark.parametrize(
    ("state", "to"), [("new", "quoted"), ("delivered", "lost"), ("lost", "lost"), ("ordered", "new")]
)
def test_lead4_anything_else_is_refused_naming_the_allowed_moves(state: str, to: str) -> None:
    with pytest.raises(InvalidMove) as refused:
        check_move(state, to)
    assert refused.value.allowed == allowed_moves(state)


def test_lost_needs_a_reason_from_any_open_state() -> None:
    check_move("quoted", "lost", "bought a competitor's car")
    with pytest.raises(ValueError):
        check_move("quoted", "lost")


def test_a_quote_or_order_moves_the_lead_forward_through_the_states_between() -> None:
    assert rules.path_to("visited", "ordered") == ["quoted", "ordered"]
    assert rules.path_to("new", "quoted") == ["visited", "quoted"]
    assert rules.path_to("quoted", "quoted") == []
    assert rules.path_to("ordered", "quoted") == []
