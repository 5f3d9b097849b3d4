"""New-car insurance (INS-6): what the store sold, and whether it insured the car, learnt from the handovers."""

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from servicekit.calendar import business_date
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.new_cars.tables import new_car_sales
from insurance.policies import service as policies

_SOLD = insert(new_car_sales).on_conflict_do_nothing(index_elements=[new_car_sales.c.delivery_id])
"""One row per handover, built once: the sale's values go with each execution."""


async def on_vehicle_delivered(session: AsyncConnection, event: VehicleDelivered, _: CloudEvent) -> None:
    await session.execute(
        _SOLD,
        {
            "delivery_id": event.delivery_id,
            "vin": event.vin,
            "consultant_no": event.consultant_no,
            "delivered_at": event.delivered_at,
            "month": business_date(event.delivered_at).strftime("%Y-%m"),
            "insurer": event.insurance.insurer if event.insurance else None,
            "coverages": list(event.insurance.coverages) if event.insurance else [],
            "loan_lender": event.loan.bank if event.loan else None,
            "loan_fee": event.loan.handling_fee if event.loan else None,
        },
    )
    if event.insurance is not None:
        await policies.provisional_from_delivery(
            session,
            delivery_id=event.delivery_id,
            vin=event.vin,
            insurer=event.insurance.insurer,
            holder_name=event.customer.name,
            holder_mobile=event.customer.mobile,
            coverages=list(event.insurance.coverages),
            delivered_on=business_date(event.delivered_at),
        )


async def on_delivery_cancelled(session: AsyncConnection, event: VehicleDeliveryCancelled, _: CloudEvent) -> None:
    await session.execute(
        update(new_car_sales).where(new_car_sales.c.delivery_id == event.delivery_id).values(cancelled=True)
    )
    await policies.drop_provisional(session, event.delivery_id)
