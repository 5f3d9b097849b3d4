"""PARTS-1…4: units, the stock invariant, moving average cost, what to reorder."""

from decimal import Decimal

import pytest
from aftersales.parts import rules
from aftersales.parts.rules import EMPTY, Stock, StockRefused
from hypothesis import given
from hypothesis import strategies as st

D = Decimal


def test_a_receipt_re_averages_the_cost_of_what_is_on_hand() -> None:
    stock, cost = rules.apply(EMPTY, "receipt", D(10), D("20.00"))
    assert (stock.on_hand, stock.avg_cost, cost) == (D(10), D("20.0000"), D("20.00"))
    stock, _ = rules.apply(stock, "receipt", D(5), D("26.00"))
    assert stock.avg_cost == D("22.0000")  # (10 × 20 + 5 × 26) / 15
    assert stock.value == D("330.00")


def test_what_leaves_leaves_at_the_average_and_does_not_move_it() -> None:
    stock = Stock(D(15), D(0), D("22.0000"))
    stock, _ = rules.apply(stock, "reservation", D(4))
    assert (stock.on_hand, stock.reserved, stock.available) == (D(15), D(4), D(11))
    stock, cost = rules.apply(stock, "issue", D(4))
    assert (stock.on_hand, stock.reserved, cost, stock.avg_cost) == (D(11), D(0), D("22.0000"), D("22.0000"))
    stock, cost = rules.apply(stock, "counter_sale", D(1))
    assert (stock.on_hand, cost) == (D(10), D("22.0000"))


def test_nothing_is_promised_twice_and_the_shelf_never_goes_below_zero() -> None:
    stock = Stock(D(2), D(1), D("5"))
    with pytest.raises(StockRefused) as refused:
        rules.apply(stock, "reservation", D(2))
    assert refused.value.available == D(1)
    with pytest.raises(StockRefused):
        rules.apply(stock, "counter_sale", D(2))
    with pytest.raises(StockRefused):
        rules.apply(stock, "issue", D(2))  # only what was reserved is issued
    with pytest.raises(StockRefused):
        rules.apply(stock, "adjustment", D(-2))  # the count cannot take what a repair order holds


def test_a_count_that_finds_more_adds_it_at_the_average() -> None:
    stock, cost = rules.apply(Stock(D(3), D(0), D("10")), "adjustment", D(1))
    assert (stock.on_hand, stock.avg_cost, cost) == (D(4), D("10.0000"), D("10"))


def test_the_first_receipt_into_an_empty_shelf_sets_the_cost() -> None:
    """Not in the seeds: the average of nothing and something is the something, also after the shelf
    was emptied at another cost."""
    emptied = Stock(D(0), D(0), D("99.0000"))
    stock, _ = rules.apply(emptied, "receipt", D(2), D("12.50"))
    assert stock.avg_cost == D("12.5000")


def test_pieces_move_whole_and_litres_in_parts() -> None:
    rules.check_quantity("litre", D("0.5"))
    rules.check_quantity("bottle", D(3))
    for unit, quantity in (("piece", D("1.5")), ("bottle", D("0.5")), ("litre", D(0)), ("set", D(-1))):
        with pytest.raises(ValueError):
            rules.check_quantity(unit, quantity)


def test_reorder_up_to_the_maximum_below_the_minimum() -> None:
    stock = Stock(D(3), D(1), D(1))  # 2 available
    assert rules.reorder_quantity(stock, on_order=D(0), min_qty=D(4), max_qty=D(10), waiting=D(0)) == D(8)
    assert rules.reorder_quantity(stock, on_order=D(3), min_qty=D(4), max_qty=D(10), waiting=D(0)) == D(0)
    # three repair orders wait for one each: the position is 2 - 3 = -1, brought up to 10
    assert rules.reorder_quantity(stock, on_order=D(0), min_qty=D(4), max_qty=D(10), waiting=D(3)) == D(11)
    # a part the store does not stock is ordered for what is waited for
    assert rules.reorder_quantity(EMPTY, on_order=D(0), min_qty=D(0), max_qty=D(0), waiting=D(2)) == D(2)


MOVES = st.tuples(st.sampled_from(rules.MOVEMENT_KINDS), st.integers(1, 20), st.integers(1, 500))


@given(st.lists(MOVES, max_size=40))
def test_any_sequence_keeps_the_invariant(moves: list[tuple[str, int, int]]) -> None:
    stock = EMPTY
    for kind, quantity, cost in moves:
        signed = D(-quantity) if kind == "adjustment" and cost % 2 else D(quantity)
        try:
            stock, _ = rules.apply(stock, kind, signed, D(cost))
        except StockRefused:
            continue
        assert D(0) <= stock.reserved <= stock.on_hand
        assert stock.avg_cost >= 0


def test_fill_rate_and_turnover() -> None:
    from aftersales.reports import rules as report

    assert report.fill_rate(9, 12) == D("0.7500")
    assert report.fill_rate(0, 0) is None
    # 12 months issued 36,000 at cost against month-end stock values averaging 12,000: turned 3 times
    assert report.turnover(D("36000"), [D("10000"), D("14000")] * 6) == D("3.0000")
    assert report.turnover(D("100"), [D(0)] * 12) is None  # an empty shelf all year has no turnover
    assert report.margin(D("256.50"), D("180.00")) == {
        "amount": D("256.50"),
        "cost": D("180.00"),
        "margin": D("76.50"),
        "margin_rate": D("0.2982"),
    }


def test_aged_stock_and_month_ends() -> None:
    from datetime import UTC, date, datetime, timedelta

    from aftersales.reports import rules as report

    now = datetime(2026, 11, 30, tzinfo=UTC)
    assert report.aged(now - timedelta(days=180), D(3), as_of=now)
    assert not report.aged(now - timedelta(days=179), D(3), as_of=now)
    assert not report.aged(now - timedelta(days=400), D(0), as_of=now)  # nothing on the shelf is not aged
    ends = report.month_ends(date(2026, 11, 1))
    assert (ends[0], ends[-1], len(ends)) == (date(2026, 1, 1), date(2026, 12, 1), 12)  # Dec 2025 … Nov 2026
    assert report.month_ends(date(2026, 1, 1))[0] == date(2025, 3, 1)  # the end of Feb 2025


def test_a_count_values_its_variance_at_the_average_cost() -> None:
    from aftersales.stock_counts import rules as counts

    assert counts.variance(D(10), D(8)) == D(-2)
    assert counts.variance_value(D(10), D(8), D("22.1234")) == D("-44.25")
    counts.check_move("counted", "approved")
    with pytest.raises(ValueError):
        counts.check_move("approved", "rejected")
