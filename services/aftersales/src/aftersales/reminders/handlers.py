"""A new car's first maintenance reminders, planned from its handover (AS-5)."""

from fours_contracts import CloudEvent, VehicleDelivered
from servicekit.calendar import business_date
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.reminders import service


async def on_vehicle_delivered(session: AsyncConnection, event: VehicleDelivered, _: CloudEvent) -> None:
    await service.plan_after_service(
        session, vin=event.vin, model=event.model, serviced_on=business_date(event.delivered_at)
    )
