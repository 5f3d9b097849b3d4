from decimal import Decimal

import pytest
from aftersales.repair_orders.rules import InvalidMove, Line, check_handover, check_move, line_amount, totals

D = Decimal


@pytest.mark.parametrize(
    ("state", "to"),
    [
        ("open", "in_progress"),
        ("in_progress", "quality_check"),
        ("quality_check", "ready"),
        ("quality_check", "in_progress"),
        ("ready", "in_progress"),
        ("handed_over", "closed"),
    ],
)
def test_as3_allowed_moves(state: str, to: str) -> None:
    check_move(state, to)


@pytest.mark.parametrize(
    ("state", "to"),
    [("open", "ready"), ("open", "closed"), ("in_progress", "open"), ("ready", "handed_over"), ("closed", "open")],
)
def test_as3_other_moves_are_refused_naming_the_allowed_ones(state: str, to: str) -> None:
    with pytest.raises(InvalidMove) as refused:
        check_move(state, to)
    assert str(refused.value).startswith(f"a repair order that is {state} cannot move to {to}")


def test_handover_only_from_ready() -> None:
    check_handover("ready")
    for state in ("open", "in_progress", "quality_check", "handed_over", "closed"):
        with pytest.raises(InvalidMove):
            check_handover(state)


def test_totals_of_labour_parts_and_bottles_to_the_cent() -> None:
    money = totals(
        [
            Line("labour", D("2.5"), D("180.00")),
            Line("part", D("2"), D("85.50"), D("60.00")),
            Line("product", D("4"), D("45.00")),
            Line("labour", D("0.33"), D("100.00")),
        ]
    )
    assert money.labour_amount == D("483.00")
    assert (money.parts_amount, money.parts_cost) == (D("171.00"), D("120.00"))
    assert (money.products_amount, money.product_bottles) == (D("180.00"), 4)
    assert money.total_amount == D("834.00")
    assert line_amount(D("0.335"), D("10.00")) == D("3.35")
