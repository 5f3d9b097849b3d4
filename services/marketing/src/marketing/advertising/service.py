"""Advertising records (MKT-7) and the online specialist's soft-article calendar."""

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from servicekit.auth import Principal
from servicekit.kit import Kit
from sqlalchemy import and_, select

from marketing.advertising import rules
from marketing.advertising.tables import ads, soft_articles


async def add_ad(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                ads.insert().values(id=str(uuid.uuid4()), created_by=by.username, **facts).returning(*ads.c)
            )
        ).one()
    return dict(row._mapping)


async def list_ads(kit: Kit, start: date, end: date) -> dict[str, Any]:
    """Ads running in the period, with the cost by medium, purpose and nature."""
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(ads).where(and_(ads.c.start_date <= end, ads.c.end_date >= start)).order_by(ads.c.start_date)
            )
        ).all()
    totals: dict[str, dict[str, Decimal]] = {
        "medium": defaultdict(Decimal),
        "purpose": defaultdict(Decimal),
        "nature": defaultdict(Decimal),
    }
    for row in rows:
        for key in totals:
            totals[key][getattr(row, key)] += row.cost
    return {
        "items": [dict(r._mapping) for r in rows],
        "cost_by": {k: dict(v) for k, v in totals.items()},
        "cost": sum((r.cost for r in rows), Decimal("0.00")),
    }


async def add_article(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                soft_articles.insert()
                .values(id=str(uuid.uuid4()), created_by=by.username, **facts)
                .returning(*soft_articles.c)
            )
        ).one()
    return dict(row._mapping)


async def cadence(kit: Kit, portals: list[str], start: date, end: date) -> dict[str, Any]:
    """Per portal: the articles of the period and the stretches breaking "one every two days"."""
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(soft_articles.c.portal, soft_articles.c.published_on).where(
                    soft_articles.c.portal.in_(portals), soft_articles.c.published_on.between(start, end)
                )
            )
        ).all()
    days: dict[str, list[date]] = defaultdict(list)
    for portal, day in rows:
        days[portal].append(day)
    result = []
    for portal in portals:
        broken = rules.gaps(days[portal], start, end)
        result.append(
            {
                "portal": portal,
                "articles": len(days[portal]),
                "ok": not broken,
                "gaps": [{"from": a, "to": b} for a, b in broken],
            }
        )
    return {
        "from": start,
        "to": end,
        "every_days": rules.EVERY_DAYS,
        "portals": result,
        "ok": all(p["ok"] for p in result),
    }
