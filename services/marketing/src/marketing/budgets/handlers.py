"""The sales history the monthly split is drawn from (MKT-2), kept up to date by the handovers."""

from datetime import datetime

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from servicekit.calendar import business_date
from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from marketing.budgets.tables import sales_history

_COUNT = insert(sales_history).on_conflict_do_update(
    index_elements=["year", "month"], set_={"counted": sales_history.c.counted + bindparam("delta")}
)
"""A month's count moved by ``delta``; built once, the month and the delta go with each execution."""


async def _count(session: AsyncConnection, moment: datetime, delta: int) -> None:
    day = business_date(moment)
    await session.execute(_COUNT, {"year": day.year, "month": day.month, "counted": max(delta, 0), "delta": delta})


async def on_vehicle_delivered(session: AsyncConnection, event: VehicleDelivered, _: CloudEvent) -> None:
    await _count(session, event.delivered_at, 1)


async def on_delivery_cancelled(session: AsyncConnection, event: VehicleDeliveryCancelled, _: CloudEvent) -> None:
    # the sale no longer counts in the month it was delivered; the event does not carry that month,
    # so the cancellation month is used (our reading: cancellations follow deliveries closely)
    await _count(session, event.cancelled_at, -1)
