from decimal import Decimal
from typing import Any

from fours_contracts import CloudEvent, LeadCreated, VehicleDelivered, VehicleDeliveryCancelled
from servicekit.kit import Kit
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from marketing.attribution import rules
from marketing.attribution.tables import attributed_leads, attributed_sales
from marketing.campaigns.tables import campaigns, spends


async def on_lead_created(session: AsyncSession, event: LeadCreated, _: CloudEvent) -> None:
    await session.execute(
        insert(attributed_leads)
        .values(lead_id=event.lead_id, customer_id=event.customer_id, campaign_code=event.campaign_code,
                channel=event.channel, source=event.source, created_at=event.created_at)
        .on_conflict_do_nothing()
    )  # fmt: skip


async def on_vehicle_delivered(session: AsyncSession, event: VehicleDelivered, _: CloudEvent) -> None:
    touch = (
        await session.execute(
            select(attributed_leads.c.campaign_code, attributed_leads.c.channel)
            .where(
                attributed_leads.c.customer_id == event.customer.customer_id,
                attributed_leads.c.created_at <= event.delivered_at,
            )
            .order_by(attributed_leads.c.created_at.desc())
            .limit(1)
        )
    ).first()
    await session.execute(
        insert(attributed_sales)
        .values(delivery_id=event.delivery_id, customer_id=event.customer.customer_id,
                campaign_code=touch.campaign_code if touch else None, channel=touch.channel if touch else event.channel,
                price=event.price, delivered_at=event.delivered_at)
        .on_conflict_do_nothing()
    )  # fmt: skip


async def on_delivery_cancelled(session: AsyncSession, event: VehicleDeliveryCancelled, envelope: CloudEvent) -> None:
    await session.execute(
        update(attributed_sales)
        .where(attributed_sales.c.delivery_id == event.delivery_id)
        .values(cancelled=envelope.id)
    )


async def report(kit: Kit, month: str | None) -> list[dict[str, Any]]:
    """Per campaign: leads, deliveries, spend, cost per lead, cost per sale, ROI (MKT-8)."""
    async with kit.db.transaction() as session:
        camp_query = select(campaigns.c.code, campaigns.c.name, campaigns.c.month, campaigns.c.budget)
        if month:
            camp_query = camp_query.where(campaigns.c.month == month)
        rows = (await session.execute(camp_query.order_by(campaigns.c.code))).all()
        codes = [r.code for r in rows]
        lead_counts = dict(
            (await session.execute(
                select(attributed_leads.c.campaign_code, func.count()).where(attributed_leads.c.campaign_code.in_(codes))
                .group_by(attributed_leads.c.campaign_code)
            )).all()
        )  # fmt: skip
        sales = {
            code: (n, revenue)
            for code, n, revenue in (await session.execute(
                select(attributed_sales.c.campaign_code, func.count(), func.coalesce(func.sum(attributed_sales.c.price), 0))
                .where(attributed_sales.c.campaign_code.in_(codes), attributed_sales.c.cancelled.is_(None))
                .group_by(attributed_sales.c.campaign_code)
            )).all()
        }  # fmt: skip
        spent = dict(
            (await session.execute(
                select(campaigns.c.code, func.coalesce(func.sum(spends.c.amount), 0))
                .join(spends, spends.c.campaign_id == campaigns.c.id, isouter=True)
                .where(campaigns.c.code.in_(codes)).group_by(campaigns.c.code)
            )).all()
        )  # fmt: skip
    out = []
    for r in rows:
        leads = int(lead_counts.get(r.code, 0))
        deliveries, revenue = sales.get(r.code, (0, Decimal(0)))
        spend = Decimal(spent.get(r.code, 0))
        out.append({"campaign_code": r.code, "name": r.name, "month": r.month, "budget": r.budget, "spend": spend,
                    "leads": leads, "deliveries": int(deliveries), "revenue": Decimal(revenue),
                    "cost_per_lead": rules.per(spend, leads), "cost_per_sale": rules.per(spend, int(deliveries)),
                    "roi": rules.roi(Decimal(revenue), spend)})  # fmt: skip
    return out
