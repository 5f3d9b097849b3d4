"""Payroll months, open or closed (PAY-12): a month closes when its run is locked and never reopens.
Whatever arrives for a closed month (a late delivery, a cancellation of a paid car) counts in the
first open month after it."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from payroll.periods.rules import first_open_month
from payroll.periods.tables import closed_months

_CLOSED = select(closed_months.c.month)


async def closed(session: AsyncConnection) -> set[str]:
    return set((await session.execute(_CLOSED)).scalars())


async def first_open(session: AsyncConnection, month: str) -> str:
    """``month`` itself unless it is closed; otherwise the first later month that is not."""
    return first_open_month(month, await closed(session))


async def close(session: AsyncConnection, month: str, *, run_id: str, by: str) -> None:
    await session.execute(closed_months.insert().values(month=month, run_id=run_id, closed_by=by))


async def closed_runs(session: AsyncConnection) -> set[str]:
    """The runs whose months are closed: what their payslips say was paid."""
    return set((await session.execute(select(closed_months.c.run_id))).scalars())
