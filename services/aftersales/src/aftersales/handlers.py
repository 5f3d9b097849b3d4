"""What aftersales does when sales hands over or cancels a car."""

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from servicekit.calendar import business_date
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.follow_ups import service as follow_ups
from aftersales.reminders import service as reminders
from aftersales.vehicles import service as vehicles


async def on_vehicle_delivered(session: AsyncSession, event: VehicleDelivered, envelope: CloudEvent) -> None:
    await vehicles.learn_delivery(session, event)
    await follow_ups.open_call(
        session,
        kind="delivery",
        vin=event.vin,
        source_id=event.delivery_id,
        source_event_id=envelope.id,
        handed_over_at=event.delivered_at,
        staff_no=event.consultant_no,
    )
    await reminders.plan_after_service(
        session, vin=event.vin, model=event.model, serviced_on=business_date(event.delivered_at)
    )


async def on_delivery_cancelled(session: AsyncSession, event: VehicleDeliveryCancelled, _: CloudEvent) -> None:
    await vehicles.forget_delivery(session, event.vin, event.delivery_id)
    await follow_ups.cancel_call(session, kind="delivery", source_id=event.delivery_id)
