"""Aftersales learns the cars sales hands over, forgets a sale that is cancelled (AS-1), and knows a
car by the plate the F&I office registered for it (REG-2)."""

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled, VehicleRegistered
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.vehicles import service


async def on_vehicle_delivered(session: AsyncConnection, event: VehicleDelivered, _: CloudEvent) -> None:
    await service.learn_delivery(session, event)


async def on_delivery_cancelled(session: AsyncConnection, event: VehicleDeliveryCancelled, _: CloudEvent) -> None:
    await service.forget_delivery(session, event.vin, event.delivery_id)


async def on_vehicle_registered(session: AsyncConnection, event: VehicleRegistered, _: CloudEvent) -> None:
    await service.learn_plate(session, event)
