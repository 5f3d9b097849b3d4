"""marketing: the annual budget, its monthly split, campaigns and spend control, advertising records
and the soft-article calendar, attribution, and the OEM's monthly report."""

from pathlib import Path

from fastapi import FastAPI
from fours_contracts import (
    LeadCreated,
    OrderPlaced,
    VehicleDelivered,
    VehicleDeliveryCancelled,
    VisitRegistered,
)
from servicekit import store_calendar
from servicekit.app import ServiceSpec, create_service_app

from marketing.advertising import api as advertising_api
from marketing.attribution import handlers as attribution_handlers
from marketing.budgets import api as budgets_api
from marketing.budgets import handlers as budgets_handlers
from marketing.campaigns import api as campaigns_api
from marketing.oem import api as oem_api
from marketing.oem import service as oem
from marketing.reports import api as reports_api
from marketing.settings import Settings
from marketing.tables import metadata

SPEC = ServiceSpec(
    name="marketing",
    description="Budgets, monthly split, campaigns, spend control, advertising, attribution, OEM report.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[budgets_api.router, campaigns_api.router, reports_api.router, advertising_api.router, oem_api.router],
    handlers={
        **store_calendar.handlers(),
        LeadCreated: attribution_handlers.on_lead_created,
        OrderPlaced: attribution_handlers.on_order_placed,
        VisitRegistered: attribution_handlers.on_visit_registered,
        VehicleDelivered: [budgets_handlers.on_vehicle_delivered, attribution_handlers.on_vehicle_delivered],
        VehicleDeliveryCancelled: [budgets_handlers.on_delivery_cancelled, attribution_handlers.on_delivery_cancelled],
    },
    jobs={oem.MONTHLY.kind: oem.MONTHLY.handle},
    on_startup=[oem.MONTHLY.ensure_planned],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
