"""Where the sales came from, with what they cost (MKT-8): per campaign and per channel. A read model:
it reads the attributed events, the campaigns' spend and the advertising records; nothing but the OEM
report reads it."""

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from servicekit.calendar import SHANGHAI, month_span
from servicekit.kit import Kit
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from marketing.advertising.tables import ads
from marketing.attribution import rules
from marketing.attribution.tables import attributed_leads, attributed_orders, attributed_sales, attributed_visits
from marketing.campaigns.tables import campaigns, spends


async def report(kit: Kit, month: str | None) -> list[dict[str, Any]]:
    """Per campaign: leads, orders, deliveries, spend, cost per lead, cost per sale, ROI (MKT-8)."""
    async with kit.db.transaction() as session:
        return await report_in(session, month)


async def report_in(session: AsyncConnection, month: str | None) -> list[dict[str, Any]]:
    camp_query = select(campaigns.c.code, campaigns.c.name, campaigns.c.month, campaigns.c.budget)
    if month:
        camp_query = camp_query.where(campaigns.c.month == month)
    rows = (await session.execute(camp_query.order_by(campaigns.c.code))).all()
    codes = [r.code for r in rows]
    lead_counts = await _per_campaign(session, attributed_leads, codes)
    visits = await _per_campaign(session, attributed_visits, codes)
    orders = await _per_campaign(session, attributed_orders, codes)
    sales = {
        code: (n, revenue)
        for code, n, revenue in (
            await session.execute(
                select(
                    attributed_sales.c.campaign_code, func.count(), func.coalesce(func.sum(attributed_sales.c.price), 0)
                )
                .where(attributed_sales.c.campaign_code.in_(codes), attributed_sales.c.cancelled.is_(None))
                .group_by(attributed_sales.c.campaign_code)
            )
        ).all()
    }
    spent = dict(
        (
            await session.execute(
                select(campaigns.c.code, func.coalesce(func.sum(spends.c.amount), 0))
                .join(spends, spends.c.campaign_id == campaigns.c.id, isouter=True)
                .where(campaigns.c.code.in_(codes))
                .group_by(campaigns.c.code)
            )
        ).all()
    )
    out = []
    for r in rows:
        leads = int(lead_counts.get(r.code, 0))
        deliveries, revenue = sales.get(r.code, (0, Decimal(0)))
        spend = Decimal(spent.get(r.code, 0))
        out.append(
            {
                "campaign_code": r.code,
                "name": r.name,
                "month": r.month,
                "budget": r.budget,
                "spend": spend,
                "leads": leads,
                "visits": int(visits.get(r.code, 0)),
                "orders": int(orders.get(r.code, 0)),
                "deliveries": int(deliveries),
                "revenue": Decimal(revenue),
                "cost_per_lead": rules.per(spend, leads),
                "cost_per_sale": rules.per(spend, int(deliveries)),
                "roi": rules.roi(Decimal(revenue), spend),
            }
        )
    return out


async def by_channel(kit: Kit, month: str) -> list[dict[str, Any]]:
    """Per channel (the lead's channel: a portal, the website, a partner…) over the month: leads,
    visits, orders, deliveries, revenue; spend from the advertising records of that outlet starting in
    the month; cost per lead and per sale, ROI (MKT-8)."""
    first, last = month_span(month)
    lower, upper = datetime.combine(first, time(0), SHANGHAI), datetime.combine(last, time(0), SHANGHAI)

    async def counted(table: Any, moment: Any, *extra: Any) -> dict[str | None, int]:
        rows = await session.execute(
            select(table.c.channel, func.count())
            .where(moment >= lower, moment < upper, *extra)
            .group_by(table.c.channel)
        )
        return {channel: int(n) for channel, n in rows.all()}

    async with kit.db.transaction() as session:
        leads = await counted(attributed_leads, attributed_leads.c.created_at)
        visits = await counted(attributed_visits, attributed_visits.c.at)
        orders = await counted(attributed_orders, attributed_orders.c.placed_at)
        sales = {
            channel: (int(n), Decimal(revenue))
            for channel, n, revenue in (
                await session.execute(
                    select(
                        attributed_sales.c.channel, func.count(), func.coalesce(func.sum(attributed_sales.c.price), 0)
                    )
                    .where(
                        attributed_sales.c.delivered_at >= lower,
                        attributed_sales.c.delivered_at < upper,
                        attributed_sales.c.cancelled.is_(None),
                    )
                    .group_by(attributed_sales.c.channel)
                )
            ).all()
        }
        spend = dict(
            (
                await session.execute(
                    select(ads.c.outlet, func.sum(ads.c.cost))
                    .where(ads.c.start_date >= first, ads.c.start_date < last)
                    .group_by(ads.c.outlet)
                )
            ).all()
        )
    out = []
    for channel in sorted(
        set(leads) | set(visits) | set(orders) | set(sales) | set(spend), key=lambda c: (c is None, c or "")
    ):
        n_sales, revenue = sales.get(channel, (0, Decimal("0")))
        cost = Decimal(spend.get(channel) or 0)
        n_leads = leads.get(channel, 0)
        out.append(
            {
                "channel": channel,
                "leads": n_leads,
                "visits": visits.get(channel, 0),
                "orders": orders.get(channel, 0),
                "deliveries": n_sales,
                "revenue": revenue,
                "spend": cost,
                "cost_per_lead": rules.per(cost, n_leads),
                "cost_per_sale": rules.per(cost, n_sales),
                "roi": rules.roi(revenue, cost),
            }
        )
    return out


async def _per_campaign(session: AsyncConnection, table: Table, codes: list[str]) -> dict[str, int]:
    """How many of ``table``'s rows each of the campaigns ``codes`` brought."""
    query = select(table.c.campaign_code, func.count()).where(table.c.campaign_code.in_(codes))
    return {code: n for code, n in (await session.execute(query.group_by(table.c.campaign_code))).all()}
