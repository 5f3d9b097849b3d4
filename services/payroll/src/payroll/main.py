"""payroll: employees, commission plans, the month's inputs and events, monthly payroll runs and payslips."""

from pathlib import Path

from fastapi import FastAPI
from fours_contracts import (
    PartsSold,
    RenewalWon,
    ServiceCompleted,
    VehicleDelivered,
    VehicleDeliveryCancelled,
    VehicleMortgaged,
    VehicleRegistered,
    VehicleSettled,
)
from servicekit import store_calendar
from servicekit.app import ServiceSpec, create_service_app

from payroll.commissions import api as commissions_api
from payroll.employees import api as employees_api
from payroll.ledger import handlers as ledger
from payroll.plans import api as plans_api
from payroll.runs import api as runs_api
from payroll.settings import Settings
from payroll.tables import metadata

SPEC = ServiceSpec(
    name="payroll",
    description="Employees, commission plans as data, monthly payroll runs and payslips.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[employees_api.router, commissions_api.router, plans_api.router, runs_api.router],
    handlers={
        **store_calendar.handlers(),
        VehicleDelivered: ledger.on_vehicle_delivered,
        VehicleDeliveryCancelled: ledger.on_delivery_cancelled,
        VehicleSettled: ledger.on_vehicle_settled,
        ServiceCompleted: ledger.on_service_completed,
        PartsSold: ledger.on_parts_sold,
        RenewalWon: ledger.on_renewal_won,
        VehicleRegistered: ledger.on_vehicle_registered,
        VehicleMortgaged: ledger.on_vehicle_mortgaged,
    },
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
