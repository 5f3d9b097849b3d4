"""Commissions come only from events: a delivery is recorded once (inbox) and a cancellation marks it.

A delivery of a month whose payroll is locked is counted in the next open month (a late event); a
cancellation of a car already paid in a locked month claws back in the next open month (PAY-11/12).
"""

from datetime import datetime

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from servicekit.calendar import business_date
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.commissions.tables import car_sales
from payroll.runs import rules as run_rules
from payroll.runs.tables import payroll_runs


def month_of(moment: datetime) -> str:
    return business_date(moment).strftime("%Y-%m")


async def open_month_from(session: AsyncSession, month: str) -> str:
    locked = set(
        (await session.execute(select(payroll_runs.c.month).where(payroll_runs.c.state == "locked"))).scalars()
    )
    return run_rules.first_open_month(month, locked)


async def on_vehicle_delivered(session: AsyncSession, event: VehicleDelivered, envelope: CloudEvent) -> None:
    month = month_of(event.delivered_at)
    await session.execute(
        insert(car_sales)
        .values(
            delivery_id=event.delivery_id,
            delivered_event_id=envelope.id,
            vin=event.vin,
            consultant_no=event.consultant_no,
            grade=event.grade,
            channel=event.channel,
            model=event.model,
            price=event.price,
            floor_price=event.floor_price,
            loan_fee=event.loan.handling_fee if event.loan else None,
            coverages=list(event.insurance.coverages) if event.insurance else [],
            accessories_price=event.accessories.price if event.accessories else None,
            accessories_cost=event.accessories.cost if event.accessories else None,
            delivered_at=event.delivered_at,
            month=month,
            counted_month=await open_month_from(session, month),
        )
        .on_conflict_do_nothing(index_elements=[car_sales.c.delivery_id])
    )


async def on_delivery_cancelled(session: AsyncSession, event: VehicleDeliveryCancelled, envelope: CloudEvent) -> None:
    sale = (
        await session.execute(select(car_sales).where(car_sales.c.delivery_id == event.delivery_id).with_for_update())
    ).first()
    if sale is None:
        # events of one VIN share a partition, so the delivery should be here: retry, then park
        raise LookupError(f"cancellation of unknown delivery {event.delivery_id}")
    if sale.cancelled_event_id is not None:
        return
    paid = await session.scalar(
        select(payroll_runs.c.id).where(payroll_runs.c.month == sale.counted_month, payroll_runs.c.state == "locked")
    )
    cancel_month = month_of(event.cancelled_at)
    await session.execute(
        update(car_sales)
        .where(car_sales.c.delivery_id == event.delivery_id)
        .values(
            cancelled_event_id=envelope.id,
            cancelled_at=event.cancelled_at,
            cancel_month=cancel_month,
            clawback_month=await open_month_from(session, cancel_month) if paid else None,
        )
    )
