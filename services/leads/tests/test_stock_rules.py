"""LEAD-7 checks on a stock car."""

from datetime import UTC, datetime, timedelta

from leads.stock import rules

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def car(**over: object) -> rules.StockCar:
    facts: dict[str, object] = {
        "vin": "LSVAU2180N2183294",
        "model": "Lavida",
        "grade": "A",
        "arrived_at": NOW - timedelta(hours=5),
        "pdi_status": "pending",
    }
    return rules.StockCar(**{**facts, **over})  # type: ignore[arg-type]


def test_pdi_is_due_within_a_day_of_arrival() -> None:
    assert rules.flags(car(), NOW) == []
    assert rules.flags(car(arrived_at=NOW - timedelta(days=1, minutes=1)), NOW) == ["pdi_late"]
    assert rules.flags(car(arrived_at=NOW - timedelta(days=3), pdi_status="passed"), NOW) == []


def test_a_car_waiting_for_repair_more_than_a_week_is_reported() -> None:
    failed = car(pdi_status="failed", arrived_at=NOW - timedelta(days=9))
    assert rules.flags(car(**{**failed.__dict__, "repair_since": NOW - timedelta(days=6)}), NOW) == []
    assert rules.flags(car(**{**failed.__dict__, "repair_since": NOW - timedelta(days=8)}), NOW) == [
        "waiting_repair_over_week"
    ]


def test_the_car_is_ready_and_matches_the_contract_6_hours_before_handover() -> None:
    reserved = {"status": "reserved", "contract_model": "Lavida", "contract_grade": "A"}
    soon = NOW + timedelta(hours=5)
    assert rules.flags(car(**reserved, planned_handover_at=soon), NOW) == ["not_ready_for_handover"]
    assert rules.flags(car(**reserved, planned_handover_at=NOW + timedelta(hours=7)), NOW) == []
    assert rules.flags(car(**reserved, planned_handover_at=soon, pdi_status="passed"), NOW) == []
    wrong = {**reserved, "contract_grade": "B", "pdi_status": "passed"}
    assert rules.flags(car(**wrong, planned_handover_at=soon), NOW) == ["not_ready_for_handover"]
    assert rules.readiness_problems(car(**wrong)) == ["the car is a Lavida A, the contract says Lavida B"]


def test_stock_age_in_whole_days() -> None:
    assert rules.stock_age_days(car(arrived_at=NOW - timedelta(days=40, hours=3)), NOW) == 40
