"""LEAD-8: a quote's figures and who must approve it."""

from decimal import Decimal

import pytest
from leads.orders import rules


def quote(price: str, **over: str) -> rules.QuoteFigures:
    figures = {"list_price": "129800.00", "price": price, "floor_price": "118000.00", **over}
    return rules.QuoteFigures(**{k: Decimal(v) for k, v in figures.items()})


def test_a_price_at_or_above_the_floor_is_quoted_at_once() -> None:
    q = quote("118000.00")
    assert (rules.discount(q), rules.initial_status(q)) == (Decimal("11800.00"), "open")


def test_a_price_below_the_floor_waits_for_the_sales_manager() -> None:
    assert rules.initial_status(quote("117999.99")) == "pending_approval"


def test_the_total_adds_accessories_insurance_the_loan_fee_and_the_plate() -> None:
    q = quote(
        "120000.00",
        accessories_price="5000.00",
        insurance_premium="4380.50",
        loan_handling_fee="3500.00",
        plate_fee="500.00",
    )
    assert rules.total(q) == Decimal("133380.50")


def test_quote_moves() -> None:
    rules.check_quote_move("pending_approval", "open")
    rules.check_quote_move("open", "accepted")
    with pytest.raises(ValueError, match="allowed: declined, open"):
        rules.check_quote_move("pending_approval", "accepted")
    with pytest.raises(ValueError, match="allowed: none"):
        rules.check_quote_move("accepted", "declined")


def test_the_deposit_is_positive_and_at_most_the_price() -> None:
    rules.check_deposit(Decimal("5000"), Decimal("120000"))
    for bad in ("0", "120000.01"):
        with pytest.raises(ValueError):
            rules.check_deposit(Decimal(bad), Decimal("120000"))


def test_fin3_a_financed_order_waits_for_the_lender_a_cash_order_never_does() -> None:
    assert rules.loan_holds_handover(financed=False, loan_state=None) is False
    assert rules.loan_holds_handover(financed=True, loan_state=None) is True  # quoted, not applied for yet
    for state, held in (("applied", True), ("declined", True), ("approved", False), ("disbursed", False)):
        assert rules.loan_holds_handover(financed=True, loan_state=state) is held
    # Not in the seeds: a cash order the customer later applied a loan for is held the same way, and a
    # loan the customer withdrew lets the car go (it is paid in full).
    assert rules.loan_holds_handover(financed=False, loan_state="applied") is True
    assert rules.loan_holds_handover(financed=True, loan_state="withdrawn") is False


def test_fin3_the_handover_carries_the_approved_loan_or_none_once_it_fell_through() -> None:
    quoted = {"bank": "ICBC", "handling_fee": "3500.00"}
    approved = {"bank": "ICBC", "handling_fee": "3000.00"}
    assert rules.loan_of_sale(quoted, "approved", approved) == approved
    assert rules.loan_of_sale(quoted, "applied", None) == quoted  # the manager's override
    assert rules.loan_of_sale(quoted, "declined", None) is None
    assert rules.loan_of_sale(None, None, None) is None
