"""Commissions come only from events: a delivery is recorded once (inbox) and a cancellation marks it."""

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from servicekit.calendar import business_date
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.commissions.tables import car_sales


def month_of(moment) -> str:  # type: ignore[no-untyped-def]
    return business_date(moment).strftime("%Y-%m")


async def on_vehicle_delivered(session: AsyncSession, event: VehicleDelivered, envelope: CloudEvent) -> None:
    await session.execute(
        insert(car_sales)
        .values(
            delivery_id=event.delivery_id,
            delivered_event_id=envelope.id,
            vin=event.vin,
            consultant_no=event.consultant_no,
            grade=event.grade,
            channel=event.channel,
            delivered_at=event.delivered_at,
            month=month_of(event.delivered_at),
        )
        .on_conflict_do_nothing(index_elements=[car_sales.c.delivery_id])
    )


async def on_delivery_cancelled(session: AsyncSession, event: VehicleDeliveryCancelled, envelope: CloudEvent) -> None:
    result = await session.execute(
        update(car_sales)
        .where(car_sales.c.delivery_id == event.delivery_id, car_sales.c.cancelled_event_id.is_(None))
        .values(
            cancelled_event_id=envelope.id,
            cancelled_at=event.cancelled_at,
            cancel_month=month_of(event.cancelled_at),
        )
    )
    if result.rowcount == 0:
        # The delivery has not arrived yet (events of one VIN share a partition, so this means it was
        # lost upstream) or was cancelled already: retry, then park for an operator.
        exists = await session.scalar(
            car_sales.select()
            .with_only_columns(car_sales.c.delivery_id)
            .where(car_sales.c.delivery_id == event.delivery_id)
        )
        if exists is None:
            raise LookupError(f"cancellation of unknown delivery {event.delivery_id}")
