"""REG-1: each handover opens its registration; a cancelled sale cancels it."""

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.registrations import service


async def on_vehicle_delivered(session: AsyncConnection, event: VehicleDelivered, _: CloudEvent) -> None:
    await service.on_delivered(session, event)


async def on_delivery_cancelled(session: AsyncConnection, event: VehicleDeliveryCancelled, _: CloudEvent) -> None:
    await service.on_delivery_cancelled(session, event)
