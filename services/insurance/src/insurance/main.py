"""insurance: policies pushed by manufacturers and insurers, new-car insurance from deliveries."""

from pathlib import Path

from fastapi import FastAPI
from fours_contracts import VehicleDelivered, VehicleDeliveryCancelled
from servicekit.app import ServiceSpec, create_service_app

from insurance.intake import api as intake_api
from insurance.new_cars import api as new_cars_api
from insurance.new_cars import service as new_cars
from insurance.policies import api as policies_api
from insurance.settings import Settings
from insurance.tables import metadata

SPEC = ServiceSpec(
    name="insurance",
    description="Policies, partner intake, new-car insurance penetration; renewals arrive with their issue.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[policies_api.router, intake_api.router, new_cars_api.router],
    handlers={
        VehicleDelivered: new_cars.on_vehicle_delivered,
        VehicleDeliveryCancelled: new_cars.on_delivery_cancelled,
    },
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
