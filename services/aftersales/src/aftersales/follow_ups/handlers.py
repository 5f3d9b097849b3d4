"""The customer service centre's call after a new car's handover (AS-4), cancelled with the sale."""

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.follow_ups import service


async def on_vehicle_delivered(session: AsyncConnection, event: VehicleDelivered, envelope: CloudEvent) -> None:
    await service.open_call(
        session,
        kind="delivery",
        vin=event.vin,
        source_id=event.delivery_id,
        source_event_id=envelope.id,
        handed_over_at=event.delivered_at,
        staff_no=event.consultant_no,
    )


async def on_delivery_cancelled(session: AsyncConnection, event: VehicleDeliveryCancelled, _: CloudEvent) -> None:
    await service.cancel_call(session, kind="delivery", source_id=event.delivery_id)


async def on_calendar_changed(session: AsyncConnection, year: int) -> int:
    """The store changed a year's working days: every open call is due again on its 3rd working day."""
    return await service.redate_open_calls(session)
