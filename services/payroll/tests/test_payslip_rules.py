"""A month's payslips from its book: late events (PAY-12), clawbacks (PAY-11), the top seller (PAY-7)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from payroll.payslips.rules import Book, Person, Sale, payslip, top_sellers
from payroll.plans.rules import Car
from payroll.plans.templates import builtin

D = Decimal
PLAN = builtin()["seed-2008-sales"]
ME = Person("S1", "sales_consultant", D("1200"), D("0"), date(2020, 3, 1))


def sale(n: int, *, month: str = "2026-11", counted: str = "2026-11", cancelled: str | None = None) -> Sale:
    car = Car(f"e{n}", f"VIN{n:014d}", "A", "T61", "showroom", D("120000"), D("118000"), date(2026, 11, n))
    return Sale(car, f"d{n}", "S1", month, counted, cancelled)


def test_a_sale_cancelled_in_its_own_month_earns_and_gives_back_as_two_lines() -> None:
    book = Book("2026-11", sales=(sale(1), sale(2, cancelled="c2")), clawed=(sale(2, cancelled="c2"),))
    lines = payslip(PLAN, ME, book, earned={})
    car2 = [(line.code, line.amount) for line in lines if "e2" in line.source_event_ids]
    assert car2 == [("unit_commission", D("200.00")), ("clawback", D("-200.00"))]


def test_a_sale_counted_earlier_gives_back_what_that_month_paid_and_nothing_when_it_earned_nothing() -> None:
    earlier = sale(3, month="2026-10", counted="2026-10", cancelled="c3")
    unpaid = sale(4, month="2026-10", counted="2026-10", cancelled="c4")
    book = Book("2026-11", clawed=(earlier, unpaid))
    lines = payslip(PLAN, ME, book, earned={"e3": D("250.00")})
    assert [(line.code, line.amount, line.basis["paid_in"]) for line in lines if line.code == "clawback"] == [
        ("clawback", D("-250.00"), "2026-10")
    ]


def test_a_late_car_of_a_locked_month_is_an_adjustment_naming_its_month() -> None:
    book = Book("2026-12", sales=(sale(5, month="2026-11", counted="2026-12"),))
    [late] = [line for line in payslip(PLAN, ME, book, earned={}) if "e5" in line.source_event_ids]
    assert late.code == "adjustment" and late.basis["original_code"] == "unit_commission"
    assert late.description.startswith("late event of 2026-11")


def test_top_sellers_tie_and_nobody_when_nothing_sold() -> None:
    assert top_sellers({"a": 3, "b": 3, "c": 1}) == {"a", "b"}
    assert top_sellers({"a": 0}) == set()


def test_pay9_under_the_2013_scheme_a_car_counts_in_the_month_its_sale_is_settled() -> None:
    plan = builtin()["seed-2013-sales"]
    assert plan.pays_on_settlement
    unsettled = sale(1)
    settled_late = replace(sale(2), settled_month="2026-12", settle_counted_month="2026-12")
    november = Book("2026-11", sales=(unsettled, settled_late), target_units={"S1": 2})
    assert [line for line in payslip(plan, ME, november, earned={}) if line.source_event_ids] == []
    december = Book("2026-12", settled=(settled_late,), target_units={"S1": 1})
    lines = [line for line in payslip(plan, ME, december, earned={}) if "e2" in line.source_event_ids]
    assert [line.code for line in lines] == ["unit_commission", "above_floor_share"]  # settled in December
    locked_november = replace(settled_late, settled_month="2026-11", settle_counted_month="2026-12")
    late = Book("2026-12", settled=(locked_november,), target_units={"S1": 1})
    adjusted = [line for line in payslip(plan, ME, late, earned={}) if line.code == "adjustment"]
    assert [line.basis["original_code"] for line in adjusted] == ["unit_commission", "above_floor_share"]
    assert all(line.description.startswith("late event of 2026-11") for line in adjusted)


def test_pay9_a_plate_the_store_registered_earns_its_commission_times_the_score() -> None:
    plan = builtin()["seed-2013-sales"]
    plated = replace(
        sale(3), car=replace(sale(3).car, plate_fee=D("500")), settled_month="2026-11", settle_counted_month="2026-11"
    )
    book = Book("2026-11", settled=(plated,), target_units={"S1": 1}, scores={"S1": D("80")})
    [line] = [line for line in payslip(plan, ME, book, earned={}) if line.code == "plate_commission"]
    assert line.amount == D("40.00")  # our default 50 × score 80


def test_pay9_a_sale_with_a_trade_in_earns_the_used_car_commission_and_one_without_does_not() -> None:
    plan = builtin()["seed-2013-sales"]
    traded = replace(sale(4), car=replace(sale(4).car, trade_in_price=D("45000")))
    settled = [replace(s, settled_month="2026-11", settle_counted_month="2026-11") for s in (traded, sale(5))]
    book = Book("2026-11", settled=tuple(settled), target_units={"S1": 2})
    lines = [line for line in payslip(plan, ME, book, earned={}) if line.code == "used_car_commission"]
    assert [(line.source_event_ids, line.amount) for line in lines] == [(("e4",), D("100.00"))]  # our default


def test_pay10_the_parts_department_s_sales_come_from_the_events_unless_the_store_entered_them() -> None:
    from payroll.payslips.rules import with_department_sales
    from payroll.plans.rules import StoreFigures

    sold = with_department_sales(None, parts=D("300000"), products=D("40000"))
    assert (sold.parts_sales, sold.maintenance_products_sales) == (D("300000"), D("40000"))
    entered = StoreFigures(parts_sales=D("280000"), parts_office_costs=D("2000"))
    kept = with_department_sales(entered, parts=D("300000"), products=D("40000"))
    # the entered parts figure stands (a month before the parts department ran on FourS); the rest is the events'
    assert (kept.parts_sales, kept.maintenance_products_sales, kept.parts_office_costs) == (
        D("280000"),
        D("40000"),
        D("2000"),
    )
