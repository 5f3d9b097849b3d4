"""LEAD-10: the funnel's rows and rates."""

from decimal import Decimal

from leads.reports import rules


def test_rates_per_consultant_and_in_total() -> None:
    counts = {
        ("leads", "S1"): 10,
        ("visits", "S1"): 8,
        ("test_drives", "S1"): 4,
        ("orders", "S1"): 2,
        ("deliveries", "S1"): 1,
        ("leads", "S2"): 5,
        ("lost", "S2"): 2,
        ("visits", None): 1,
    }
    report = rules.funnel(counts, {("S2", "price"): 1, ("S2", "competitor"): 1})
    s1, s2, unknown = report["rows"]
    assert (s1["key"], s1["test_drive_rate"], s1["closing_rate"], s1["conversion_rate"]) == (
        "S1",
        Decimal("0.5000"),
        Decimal("0.2500"),
        Decimal("0.1000"),
    )
    assert (s2["visits"], s2["closing_rate"], s2["lost_reasons"]) == (0, None, {"competitor": 1, "price": 1})
    assert unknown["key"] is None and unknown["visits"] == 1
    total = report["total"]
    assert (total["leads"], total["visits"], total["lost"]) == (15, 9, 2)
    assert total["closing_rate"] == Decimal("0.2222")


def test_an_empty_period() -> None:
    assert rules.funnel({}, {}) == {"rows": [], "total": rules.funnel_row(None, {}, {})}
