"""marketing: its database, outbox, consumer and scheduler are in place; budgets, campaigns and
spend control arrive with their issue."""

from pathlib import Path

from fastapi import FastAPI
from servicekit.app import ServiceSpec, create_service_app

from marketing.settings import Settings
from marketing.tables import metadata

SPEC = ServiceSpec(
    name="marketing",
    description="Budgets, campaigns, spend control and attribution.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
