"""The payroll month's events as recorded by the ledger's handlers, for the payslips to evaluate."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from payroll.ledger.tables import car_sales, counter_sales, registrations_done, renewals_won, service_jobs


@dataclass(frozen=True)
class MonthEvents:
    sales: list[Any]
    """Cars counted in the month (cancelled ones too: their clawback is a line of its own)."""
    clawed: list[Any]
    """Cancelled cars whose clawback lands in the month."""
    settled: list[Any]
    """Cars whose settlement counts in the month, for the plans that pay on settlement (PAY-9)."""
    jobs: list[Any]
    renewals: list[Any]
    counter_sales: list[Any]
    """Parts sold over the counter, for the parts department's pool (PAY-10)."""
    registrations: list[Any]
    """Plates and mortgages the F&I office registered for the cars (REG-2/3)."""


async def of_month(session: AsyncConnection, month: str) -> MonthEvents:
    async def rows(query: Any) -> list[Any]:
        return list((await session.execute(query)).all())

    return MonthEvents(
        sales=await rows(select(car_sales).where(car_sales.c.counted_month == month)),
        clawed=await rows(select(car_sales).where(car_sales.c.clawback_month == month)),
        settled=await rows(select(car_sales).where(car_sales.c.settle_counted_month == month)),
        jobs=await rows(select(service_jobs).where(service_jobs.c.counted_month == month)),
        renewals=await rows(select(renewals_won).where(renewals_won.c.counted_month == month)),
        counter_sales=await rows(select(counter_sales).where(counter_sales.c.counted_month == month)),
        registrations=await rows(
            select(registrations_done, car_sales.c.delivered_event_id)
            .select_from(
                registrations_done.outerjoin(car_sales, car_sales.c.delivery_id == registrations_done.c.delivery_id)
            )
            .where(registrations_done.c.counted_month == month)
        ),
    )
