"""aftersales: vehicles in service, appointments, repair orders, follow-up calls, reminders, complaints,
segments, the parts department (catalogue, stock, purchasing, counter sales), warranty and insurance claims."""

from pathlib import Path

from fastapi import FastAPI
from fours_contracts import StockCarDamaged, VehicleDelivered, VehicleDeliveryCancelled, VehicleRegistered
from servicekit import staff, store_calendar
from servicekit.app import ServiceSpec, create_service_app
from servicekit.kit import Kit

from aftersales.appointments import api as appointments_api
from aftersales.complaints import api as complaints_api
from aftersales.follow_ups import api as follow_ups_api
from aftersales.follow_ups import handlers as follow_ups_handlers
from aftersales.home_visits import api as home_visits_api
from aftersales.insurance_claims import api as insurance_claims_api
from aftersales.owners import api as owners_api
from aftersales.parts import api as parts_api
from aftersales.parts_sales import api as parts_sales_api
from aftersales.purchase_orders import api as purchase_orders_api
from aftersales.quality import api as quality_api
from aftersales.reminders import api as reminders_api
from aftersales.reminders import handlers as reminders_handlers
from aftersales.reminders import service as reminders
from aftersales.repair_orders import api as repair_orders_api
from aftersales.repair_orders import service as repair_orders
from aftersales.reports import api as reports_api
from aftersales.reports import service as reports
from aftersales.segments import api as segments_api
from aftersales.segments import service as segments
from aftersales.settings import Settings
from aftersales.stock_counts import api as stock_counts_api
from aftersales.tables import metadata
from aftersales.vehicles import api as vehicles_api
from aftersales.vehicles import handlers as vehicles_handlers
from aftersales.warranty_claims import api as warranty_claims_api
from aftersales.warranty_claims import handlers as warranty_claims_handlers
from aftersales.warranty_claims import service as warranty_claims
from aftersales.workshop_targets import api as workshop_targets_api

repair_orders.handed_over.connect(segments.after_handover)


async def _configure(kit: Kit) -> None:
    settings = kit.settings
    assert isinstance(settings, Settings)
    reminders.second_days_before = settings.second_reminder_days_before
    reports.aged_days = settings.aged_stock_days
    warranty_claims.submit_days = settings.warranty_submit_days


SPEC = ServiceSpec(
    name="aftersales",
    description="Vehicles in service, repair orders, follow-up calls and maintenance reminders.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[
        vehicles_api.router,
        appointments_api.router,
        repair_orders_api.router,
        repair_orders_api.history_router,
        follow_ups_api.router,
        follow_ups_api.reports,
        complaints_api.router,
        reminders_api.router,
        segments_api.router,
        quality_api.router,
        home_visits_api.router,
        owners_api.router,
        parts_api.router,
        purchase_orders_api.router,
        parts_sales_api.router,
        stock_counts_api.router,
        reports_api.router,
        warranty_claims_api.router,
        insurance_claims_api.router,
        workshop_targets_api.router,
    ],
    jobs={reminders.JOB: reminders.remind, segments.NIGHTLY.kind: segments.NIGHTLY.handle},
    on_startup=[_configure, segments.NIGHTLY.ensure_planned],
    handlers={
        VehicleDelivered: [
            vehicles_handlers.on_vehicle_delivered,
            follow_ups_handlers.on_vehicle_delivered,
            reminders_handlers.on_vehicle_delivered,
        ],
        VehicleDeliveryCancelled: [vehicles_handlers.on_delivery_cancelled, follow_ups_handlers.on_delivery_cancelled],
        StockCarDamaged: [warranty_claims_handlers.on_stock_car_damaged],
        VehicleRegistered: [vehicles_handlers.on_vehicle_registered],
        **staff.HANDLERS,
        **store_calendar.handlers(follow_ups_handlers.on_calendar_changed),
    },
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
