"""The OEM's monthly report (MKT-9): the month's summary and the next month's ad plan."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic_core import to_jsonable_python
from servicekit import calendar, scheduler
from servicekit.errors import Conflict
from servicekit.kit import Kit
from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from marketing.advertising.tables import ads, soft_articles
from marketing.attribution import rules as attribution_rules
from marketing.budgets.tables import fixed_spends
from marketing.campaigns.tables import campaigns
from marketing.oem import rules
from marketing.oem.tables import oem_reports
from marketing.reports import service as reports


async def compute(session: AsyncConnection, month: str) -> dict[str, Any]:
    start, end = calendar.month_bounds(month)
    following = calendar.next_month(month)
    next_start, next_end = calendar.month_bounds(following)
    per_campaign = await reports.report_in(session, month)
    fixed = Decimal(
        await session.scalar(
            select(func.coalesce(func.sum(fixed_spends.c.amount), 0)).where(fixed_spends.c.month == month)
        )
    )
    ads_now = await _ads(session, start, end)
    articles = dict(
        (
            await session.execute(
                select(soft_articles.c.portal, func.count())
                .where(soft_articles.c.published_on.between(start, end))
                .group_by(soft_articles.c.portal)
            )
        ).all()
    )
    planned = (
        await session.execute(
            select(campaigns.c.code, campaigns.c.name, campaigns.c.form, campaigns.c.budget, campaigns.c.plan)
            .where(campaigns.c.month == following)
            .order_by(campaigns.c.code)
        )
    ).all()
    campaign_spend = sum((c["spend"] for c in per_campaign), Decimal("0.00"))
    leads = sum(c["leads"] for c in per_campaign)
    deliveries = sum(c["deliveries"] for c in per_campaign)
    return {
        "month": month,
        "summary": {
            "campaigns": per_campaign,
            "advertising": ads_now,
            "soft_articles": articles,
            "spend": {"campaigns": campaign_spend, "fixed": fixed, "total": campaign_spend + fixed},
            "leads": leads,
            "orders": sum(c["orders"] for c in per_campaign),
            "deliveries": deliveries,
            "cost_per_lead": attribution_rules.per(campaign_spend, leads),
            "cost_per_sale": attribution_rules.per(campaign_spend, deliveries),
        },
        "plan": {
            "month": following,
            "campaigns": [
                {
                    "code": c.code,
                    "name": c.name,
                    "form": c.form,
                    "budget": c.budget,
                    "theme": c.plan.get("theme", ""),
                    "targets": c.plan.get("targets", {}),
                }
                for c in planned
            ],
            "advertising": await _ads(session, next_start, next_end),
        },
    }


async def _ads(session: AsyncConnection, start: date, end: date) -> dict[str, Any]:
    rows = (
        await session.execute(
            select(ads).where(and_(ads.c.start_date <= end, ads.c.end_date >= start)).order_by(ads.c.start_date)
        )
    ).all()
    by_medium: dict[str, Decimal] = {}
    for row in rows:
        by_medium[row.medium] = by_medium.get(row.medium, Decimal("0")) + row.cost
    return {
        "items": [
            {
                "title": r.title,
                "medium": r.medium,
                "purpose": r.purpose,
                "nature": r.nature,
                "outlet": r.outlet,
                "start_date": r.start_date,
                "end_date": r.end_date,
                "cost": r.cost,
                "campaign_code": r.campaign_code,
            }
            for r in rows
        ],
        "cost_by_medium": by_medium,
        "cost": sum((r.cost for r in rows), Decimal("0.00")),
    }


async def report(kit: Kit, month: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        return await compute(session, month)


async def _send(session: AsyncConnection, run_at: datetime) -> None:
    """Due job: the month's report is kept as sent to the OEM (a repeat replaces it)."""
    month = calendar.month_of(run_at)
    content = to_jsonable_python(await compute(session, month))
    stmt = insert(oem_reports).values(month=month, content=content)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[oem_reports.c.month], set_={"content": stmt.excluded.content, "generated_at": func.now()}
        )
    )


MONTHLY = scheduler.Recurring("reports.oem.monthly", rules.next_run, _send)


async def sent(kit: Kit, month: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (await session.execute(select(oem_reports).where(oem_reports.c.month == month))).first()
    if row is None:
        raise Conflict(f"the {month} report has not been sent yet (it goes on the {rules.SEND_DAY}th)", code="not-sent")
    return dict(row._mapping)
