"""leads: the sales CRM — customers, leads, visits, follow-up work, test drives, stock, quotes,
orders, deliveries and the funnel report."""

from pathlib import Path

from fastapi import FastAPI
from servicekit import staff, store_calendar
from servicekit.app import ServiceSpec, create_service_app

from leads.customers import api as customers_api
from leads.customers import service as customers
from leads.deliveries import api as deliveries_api
from leads.deliveries import service as deliveries
from leads.orders import api as orders_api
from leads.orders import service as orders
from leads.prospects import api as prospects_api
from leads.prospects import service as prospects
from leads.reports import api as reports_api
from leads.settings import Settings
from leads.stock import api as stock_api
from leads.tables import metadata
from leads.tasks import api as tasks_api
from leads.tasks import service as tasks
from leads.test_drives import api as test_drives_api
from leads.test_drives import service as test_drives

customers.merged.connect(prospects.move_customer)
customers.merged.connect(tasks.move_customer)
customers.merged.connect(test_drives.move_customer)
customers.merged.connect(orders.move_customer)
customers.merged.connect(deliveries.move_customer)
customers.owner_changed.connect(prospects.customer_owner_changed)
customers.owner_changed.connect(tasks.reassign_open)
customers.birthday_set.connect(tasks.plan_birthday)

SPEC = ServiceSpec(
    name="leads",
    description="Sales CRM: customers, leads, visits, tasks, test drives, stock, quotes, orders, deliveries.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[
        customers_api.router,
        deliveries_api.router,
        prospects_api.router,
        tasks_api.router,
        test_drives_api.router,
        stock_api.router,
        orders_api.router,
        reports_api.router,
    ],
    handlers={
        **staff.HANDLERS,
        **store_calendar.handlers(),
        **dict.fromkeys(orders.LOAN_STEPS, orders.on_loan_step),
    },
    jobs={tasks.BIRTHDAY_JOB: tasks.birthday_greeting, tasks.ANNIVERSARY_JOB: tasks.anniversary_greeting},
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
