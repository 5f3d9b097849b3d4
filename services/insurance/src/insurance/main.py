"""insurance, the store's finance & insurance office (金融保险部): policies pushed by manufacturers
and insurers, new-car insurance from deliveries, renewals worked to a result, the insurance reports
and the insurers' commission reconciliation; car loans from application to repayment, and plate registration."""

from pathlib import Path

from fastapi import FastAPI
from fours_contracts import OrderPlaced, VehicleDelivered, VehicleDeliveryCancelled
from servicekit import staff, store_calendar
from servicekit.app import ServiceSpec, create_service_app
from servicekit.kit import Kit

from insurance.intake import api as intake_api
from insurance.loans import api as loans_api
from insurance.loans import handlers as loans_handlers
from insurance.loans import service as loans
from insurance.new_cars import api as new_cars_api
from insurance.new_cars import handlers as new_cars_handlers
from insurance.policies import api as policies_api
from insurance.policies import service as policies
from insurance.registrations import api as registrations_api
from insurance.registrations import handlers as registrations_handlers
from insurance.registrations import service as registrations
from insurance.renewals import api as renewals_api
from insurance.renewals import service as renewals
from insurance.repayments import api as repayments_api
from insurance.repayments import service as repayments
from insurance.reports import api as reports_api
from insurance.reports import service as reports
from insurance.settings import Settings
from insurance.sms import service as sms
from insurance.tables import metadata

policies.policy_recorded.connect(renewals.on_policy_recorded)
policies.policies_created.connect(renewals.on_policies_created)
policies.provisional_planned.connect(renewals.plan)
policies.provisional_dropped.connect(renewals.cancel_plan)
loans.paid_out.connect(repayments.open_account)


async def _configure(kit: Kit) -> None:
    sms.provider = sms.PROVIDERS[getattr(kit.settings, "sms_provider", "log")]
    renewals.schedule_days = tuple(getattr(kit.settings, "renewal_schedule_days", renewals.rules.SCHEDULE))
    registrations.due_days = getattr(kit.settings, "registration_due_days", registrations.rules.DUE_DAYS)


SPEC = ServiceSpec(
    name="insurance",
    description=(
        "The finance & insurance office: policies, partner intake, new-car insurance, renewals,"
        " insurance reports and reconciliation, car loans, plate registration."
    ),
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[
        policies_api.router,
        intake_api.router,
        new_cars_api.router,
        renewals_api.router,
        reports_api.router,
        loans_api.router,
        repayments_api.router,
        registrations_api.router,
    ],
    handlers={
        VehicleDelivered: (new_cars_handlers.on_vehicle_delivered, registrations_handlers.on_vehicle_delivered),
        VehicleDeliveryCancelled: (
            new_cars_handlers.on_delivery_cancelled,
            registrations_handlers.on_delivery_cancelled,
        ),
        OrderPlaced: loans_handlers.on_order_placed,
        **staff.HANDLERS,
        **store_calendar.handlers(),
    },
    jobs={
        renewals.OPEN_JOB: renewals.open_renewal,
        renewals.REMIND_JOB: renewals.remind,
        sms.JOB: sms.send,
        reports.WEEKLY.kind: reports.WEEKLY.handle,
        reports.MONTHLY.kind: reports.MONTHLY.handle,
        repayments.SWEEP.kind: repayments.SWEEP.handle,
    },
    on_startup=[
        _configure,
        reports.WEEKLY.ensure_planned,
        reports.MONTHLY.ensure_planned,
        repayments.SWEEP.ensure_planned,
    ],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
