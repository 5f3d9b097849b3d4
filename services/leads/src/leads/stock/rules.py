"""LEAD-7: new-car stock. A car is checked (PDI) and in stock within **1 day** of arrival; stock age
(库龄) is watched; a car waiting for repair **more than a week** is reported to the sales manager;
the car is ready and matches the contract **6 hours** before handover."""

from dataclasses import dataclass
from datetime import datetime, timedelta

PDI_WITHIN = timedelta(days=1)
REPAIR_REPORT_AFTER = timedelta(weeks=1)
READY_BEFORE_HANDOVER = timedelta(hours=6)


@dataclass(frozen=True)
class StockCar:
    vin: str
    model: str
    grade: str
    arrived_at: datetime
    pdi_status: str
    """pending, passed or failed (a failed car waits for repair until a later PDI passes); a car still
    pending a day after its arrival is late."""
    pdi_at: datetime | None = None
    repair_since: datetime | None = None
    status: str = "in_stock"
    planned_handover_at: datetime | None = None
    contract_model: str | None = None
    contract_grade: str | None = None


def stock_age_days(car: StockCar, now: datetime) -> int:
    return max(0, (now - car.arrived_at).days)


def flags(car: StockCar, now: datetime) -> list[str]:
    """The checks of LEAD-7 that this car fails now."""
    found = []
    if car.pdi_status == "pending" and car.status != "sold" and now - car.arrived_at > PDI_WITHIN:
        found.append("pdi_late")
    if car.repair_since is not None and now - car.repair_since > REPAIR_REPORT_AFTER:
        found.append("waiting_repair_over_week")
    handover_near = car.planned_handover_at is not None and car.planned_handover_at - now <= READY_BEFORE_HANDOVER
    if handover_near and car.status == "reserved" and not ready_for(car):
        found.append("not_ready_for_handover")
    return found


def ready_for(car: StockCar) -> bool:
    """Ready for handover: PDI passed and the car matches the contract's model and grade."""
    matches = (car.contract_model in (None, car.model)) and (car.contract_grade in (None, car.grade))
    return car.pdi_status == "passed" and matches


def readiness_problems(car: StockCar) -> list[str]:
    problems = []
    if car.pdi_status != "passed":
        problems.append(f"PDI is {car.pdi_status}")
    if car.contract_model not in (None, car.model) or car.contract_grade not in (None, car.grade):
        problems.append(
            f"the car is a {car.model} {car.grade}, the contract says {car.contract_model} {car.contract_grade}"
        )
    return problems
