"""What payroll learns from events, recorded once each (the inbox) in the month that counts them: a
delivery of a month whose payroll is locked counts in the next open month (a late event, PAY-12); a
cancellation claws back in the first open month from its own (PAY-11)."""

from datetime import date
from typing import Any

from fours_contracts import (
    CloudEvent,
    PartsSold,
    RenewalWon,
    ServiceCompleted,
    VehicleDelivered,
    VehicleDeliveryCancelled,
    VehicleMortgaged,
    VehicleRegistered,
    VehicleSettled,
)
from servicekit.calendar import month_of
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from payroll.ledger.tables import car_sales, counter_sales, registrations_done, renewals_won, service_jobs
from payroll.periods import service as periods

_SOLD = insert(car_sales).on_conflict_do_nothing(index_elements=[car_sales.c.delivery_id])
"""One sale per handover, built once: the sale's values go with each execution."""


async def on_vehicle_delivered(session: AsyncConnection, event: VehicleDelivered, envelope: CloudEvent) -> None:
    month = month_of(event.delivered_at)
    await session.execute(
        _SOLD,
        {
            "delivery_id": event.delivery_id,
            "delivered_event_id": envelope.id,
            "vin": event.vin,
            "consultant_no": event.consultant_no,
            "grade": event.grade,
            "channel": event.channel,
            "model": event.model,
            "price": event.price,
            "floor_price": event.floor_price,
            "loan_fee": event.loan.handling_fee if event.loan else None,
            "coverages": list(event.insurance.coverages) if event.insurance else [],
            "accessories_price": event.accessories.price if event.accessories else None,
            "accessories_cost": event.accessories.cost if event.accessories else None,
            "plate_fee": event.plate_fee,
            "trade_in_price": event.trade_in.price if event.trade_in else None,
            "delivered_at": event.delivered_at,
            "month": month,
            "counted_month": await periods.first_open(session, month),
        },
    )


async def on_delivery_cancelled(
    session: AsyncConnection, event: VehicleDeliveryCancelled, envelope: CloudEvent
) -> None:
    sale = await _sale(session, event.delivery_id, "cancellation")
    if sale.cancelled_event_id is not None:
        return
    cancel_month = month_of(event.cancelled_at)
    await session.execute(
        update(car_sales)
        .where(car_sales.c.delivery_id == event.delivery_id)
        .values(
            cancelled_event_id=envelope.id,
            cancelled_at=event.cancelled_at,
            cancel_month=cancel_month,
            clawback_month=await periods.first_open(session, cancel_month),
        )
    )


async def on_vehicle_settled(session: AsyncConnection, event: VehicleSettled, _: CloudEvent) -> None:
    """PAY-9: a plan paying on settlement counts the car in the first open month from its settlement."""
    sale = await _sale(session, event.delivery_id, "settlement")
    if sale.settled_at is not None:
        return
    month = month_of(event.settled_at)
    await session.execute(
        update(car_sales)
        .where(car_sales.c.delivery_id == event.delivery_id)
        .values(
            settled_at=event.settled_at,
            settled_month=month,
            settle_counted_month=await periods.first_open(session, month),
        )
    )


async def _sale(session: AsyncConnection, delivery_id: str, what: str) -> Any:
    """The car sale an event about a delivery refers to, locked. Events of one VIN share a partition,
    so the delivery should be here: an unknown one is retried, then parked."""
    query = select(car_sales).where(car_sales.c.delivery_id == delivery_id).with_for_update()
    sale = (await session.execute(query)).first()
    if sale is None:
        raise LookupError(f"{what} of unknown delivery {delivery_id}")
    return sale


async def on_service_completed(session: AsyncConnection, event: ServiceCompleted, envelope: CloudEvent) -> None:
    """Service handovers counted for advisors' pay (PAY-10): output and maintenance-product bottles."""
    month = month_of(event.handed_over_at)
    await session.execute(
        insert(service_jobs)
        .values(
            repair_order_id=event.repair_order_id,
            completed_event_id=envelope.id,
            advisor_no=event.advisor_no,
            type=event.type,
            total_amount=event.total_amount,
            product_bottles=event.product_bottles,
            parts_amount=event.parts_amount,
            products_amount=event.products_amount,
            handed_over_at=event.handed_over_at,
            month=month,
            counted_month=await periods.first_open(session, month),
        )
        .on_conflict_do_nothing(index_elements=[service_jobs.c.repair_order_id])
    )


async def on_parts_sold(session: AsyncConnection, event: PartsSold, envelope: CloudEvent) -> None:
    """Counter sales of the parts department, for its pool (PAY-10), in the first open month."""
    month = month_of(event.sold_at)
    await session.execute(
        insert(counter_sales)
        .values(
            sale_id=event.sale_id,
            sold_event_id=envelope.id,
            parts_amount=event.parts_amount,
            products_amount=event.products_amount,
            sold_at=event.sold_at,
            month=month,
            counted_month=await periods.first_open(session, month),
        )
        .on_conflict_do_nothing(index_elements=[counter_sales.c.sale_id])
    )


async def on_renewal_won(session: AsyncConnection, event: RenewalWon, envelope: CloudEvent) -> None:
    """Insurance renewals won, credited to the specialist or advisor who worked them (INS-7)."""
    if event.credited_no is None:
        return  # nobody worked it: no one to pay
    month = month_of(event.renewed_at)
    await session.execute(
        insert(renewals_won)
        .values(
            renewal_id=event.renewal_id,
            won_event_id=envelope.id,
            employee_no=event.credited_no,
            vin=event.vin,
            commercial=event.commercial,
            premium=event.premium,
            renewed_at=event.renewed_at,
            month=month,
            counted_month=await periods.first_open(session, month),
        )
        .on_conflict_do_nothing(index_elements=[renewals_won.c.renewal_id])
    )


async def on_vehicle_registered(session: AsyncConnection, event: VehicleRegistered, envelope: CloudEvent) -> None:
    """REG-2: the store registered the car's plate (上牌), for the plans that pay on it."""
    await _registration_done(
        session, envelope, "plate", event.delivery_id, event.vin, event.consultant_no, event.registered_on
    )


async def on_vehicle_mortgaged(session: AsyncConnection, event: VehicleMortgaged, envelope: CloudEvent) -> None:
    """REG-3: the store registered a financed car's mortgage and notarised its loan (上户公证抵押)."""
    await _registration_done(
        session, envelope, "mortgage", event.delivery_id, event.vin, event.consultant_no, event.mortgage_registered_on
    )


async def _registration_done(
    session: AsyncConnection, envelope: CloudEvent, kind: str, delivery_id: str, vin: str, consultant_no: str, on: date
) -> None:
    month = on.strftime("%Y-%m")
    await session.execute(
        insert(registrations_done)
        .values(
            event_id=envelope.id,
            kind=kind,
            delivery_id=delivery_id,
            vin=vin,
            consultant_no=consultant_no,
            done_on=on,
            month=month,
            counted_month=await periods.first_open(session, month),
        )
        .on_conflict_do_nothing(index_elements=[registrations_done.c.event_id])
    )
