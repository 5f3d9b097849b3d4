"""What each campaign brought, from the lead, visit, order and delivery events (MKT-8)."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from marketing.attribution.tables import attributed_leads, attributed_orders, attributed_sales, attributed_visits


async def actuals(session: AsyncConnection, code: str) -> dict[str, int]:
    """What the campaign brought, from the lead, visit, order and delivery events (MKT-8)."""
    leads = await session.scalar(select(func.count()).where(attributed_leads.c.campaign_code == code))
    visits = await session.scalar(select(func.count()).where(attributed_visits.c.campaign_code == code))
    orders = await session.scalar(select(func.count()).where(attributed_orders.c.campaign_code == code))
    deliveries = await session.scalar(
        select(func.count()).where(attributed_sales.c.campaign_code == code, attributed_sales.c.cancelled.is_(None))
    )
    return {
        "leads": int(leads or 0),
        "visits": int(visits or 0),
        "orders": int(orders or 0),
        "deliveries": int(deliveries or 0),
    }
