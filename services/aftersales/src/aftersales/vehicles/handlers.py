"""Aftersales learns the cars sales hands over, and forgets a sale that is cancelled (AS-1)."""

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.vehicles import service


async def on_vehicle_delivered(session: AsyncSession, event: VehicleDelivered, _: CloudEvent) -> None:
    await service.learn_delivery(session, event)


async def on_delivery_cancelled(session: AsyncSession, event: VehicleDeliveryCancelled, _: CloudEvent) -> None:
    await service.forget_delivery(session, event.vin, event.delivery_id)
