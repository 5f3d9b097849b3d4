"""marketing: the annual budget, its monthly split, campaigns and spend control; attribution and
advertising records arrive with the rest of their issue."""

from pathlib import Path

from fastapi import FastAPI
from fours_contracts import VehicleDelivered, VehicleDeliveryCancelled
from servicekit.app import ServiceSpec, create_service_app

from marketing.budgets import api as budgets_api
from marketing.budgets import service as budgets
from marketing.campaigns import api as campaigns_api
from marketing.settings import Settings
from marketing.tables import metadata

SPEC = ServiceSpec(
    name="marketing",
    description="Budgets, monthly split, campaigns and spend control.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[budgets_api.router, campaigns_api.router],
    handlers={VehicleDelivered: budgets.on_vehicle_delivered, VehicleDeliveryCancelled: budgets.on_delivery_cancelled},
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
