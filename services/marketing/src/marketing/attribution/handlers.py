"""Attribution learns leads, visits, orders and sales from the leads events (MKT-8)."""

from fours_contracts import (
    CloudEvent,
    LeadCreated,
    OrderPlaced,
    VehicleDelivered,
    VehicleDeliveryCancelled,
    VisitRegistered,
)
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from marketing.attribution.tables import attributed_leads, attributed_orders, attributed_sales, attributed_visits


async def on_lead_created(session: AsyncConnection, event: LeadCreated, _: CloudEvent) -> None:
    await session.execute(
        insert(attributed_leads)
        .values(
            lead_id=event.lead_id,
            customer_id=event.customer_id,
            campaign_code=event.campaign_code,
            channel=event.channel,
            source=event.source,
            created_at=event.created_at,
        )
        .on_conflict_do_nothing()
    )


_ORDER_CAMPAIGN = select(attributed_orders.c.campaign_code).where(attributed_orders.c.order_id == bindparam("order_id"))
_LAST_TOUCH = (
    select(attributed_leads.c.campaign_code, attributed_leads.c.channel)
    .where(
        attributed_leads.c.customer_id == bindparam("customer_id"),
        attributed_leads.c.created_at <= bindparam("before"),
    )
    .order_by(attributed_leads.c.created_at.desc())
    .limit(1)
)
_SALE = insert(attributed_sales).on_conflict_do_nothing()
"""The statements of every handover, built once; each handover's values go with each execution."""


async def on_vehicle_delivered(session: AsyncConnection, event: VehicleDelivered, _: CloudEvent) -> None:
    """A sale made on an order counts for the order's campaign; otherwise for the campaign of the
    customer's latest lead before the handover (last touch)."""
    ordered = None
    if event.order_id is not None:
        ordered = await session.scalar(_ORDER_CAMPAIGN, {"order_id": event.order_id})
    touch = (
        await session.execute(_LAST_TOUCH, {"customer_id": event.customer.customer_id, "before": event.delivered_at})
    ).first()
    campaign = ordered or (touch.campaign_code if touch else None)
    await session.execute(
        _SALE,
        {
            "delivery_id": event.delivery_id,
            "customer_id": event.customer.customer_id,
            "campaign_code": campaign,
            "channel": touch.channel if touch else event.channel,
            "price": event.price,
            "delivered_at": event.delivered_at,
            "order_id": event.order_id,
        },
    )


async def on_order_placed(session: AsyncConnection, event: OrderPlaced, _: CloudEvent) -> None:
    """An order carries its lead's campaign; a delivery of it that arrived first is attributed now."""
    channel = None
    if event.lead_id is not None:
        channel = await session.scalar(
            select(attributed_leads.c.channel).where(attributed_leads.c.lead_id == event.lead_id)
        )
    await session.execute(
        insert(attributed_orders)
        .values(
            order_id=event.order_id,
            customer_id=event.customer_id,
            campaign_code=event.campaign_code,
            channel=channel,
            placed_at=event.placed_at,
        )
        .on_conflict_do_nothing()
    )
    if event.campaign_code:
        await session.execute(
            update(attributed_sales)
            .where(attributed_sales.c.order_id == event.order_id)
            .values(campaign_code=event.campaign_code)
        )


async def on_visit_registered(session: AsyncConnection, event: VisitRegistered, _: CloudEvent) -> None:
    await session.execute(
        insert(attributed_visits)
        .values(
            visit_id=event.visit_id,
            customer_id=event.customer_id,
            campaign_code=event.campaign_code,
            channel=event.channel,
            at=event.at,
        )
        .on_conflict_do_nothing()
    )


async def on_delivery_cancelled(
    session: AsyncConnection, event: VehicleDeliveryCancelled, envelope: CloudEvent
) -> None:
    await session.execute(
        update(attributed_sales)
        .where(attributed_sales.c.delivery_id == event.delivery_id)
        .values(cancelled=envelope.id)
    )
