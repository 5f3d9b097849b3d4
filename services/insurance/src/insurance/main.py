"""insurance: its database, outbox, consumer and scheduler are in place; policies, intake and
renewals arrive with their issue."""

from pathlib import Path

from fastapi import FastAPI
from servicekit.app import ServiceSpec, create_service_app

from insurance.settings import Settings
from insurance.tables import metadata

SPEC = ServiceSpec(
    name="insurance",
    description="Policies, partner intake and renewals.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
