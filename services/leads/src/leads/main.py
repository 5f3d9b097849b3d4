"""leads: the sales CRM — customers, (later) leads and orders, and vehicle deliveries."""

from pathlib import Path

from fastapi import FastAPI
from servicekit import staff
from servicekit.app import ServiceSpec, create_service_app

from leads.customers import api as customers_api
from leads.deliveries import api as deliveries_api
from leads.prospects import api as prospects_api
from leads.settings import Settings
from leads.tables import metadata

SPEC = ServiceSpec(
    name="leads",
    description="Sales CRM: customers, leads, visits, deliveries.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[customers_api.router, deliveries_api.router, prospects_api.router],
    handlers=staff.HANDLERS,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
