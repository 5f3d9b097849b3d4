import uuid
from decimal import Decimal
from typing import Any

from servicekit.auth import Principal
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Forbidden
from servicekit.kit import Kit
from servicekit.permissions import Permission, holds
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from marketing.attribution import rules as attribution_rules
from marketing.attribution import service as attribution
from marketing.budgets import rules as budget_rules
from marketing.budgets import service as budgets
from marketing.campaigns import rules
from marketing.campaigns.tables import campaigns, spends


async def create(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """The campaign's budget must fit in its month's activity budget of the approved annual budget."""
    year = int(facts["month"][:4])
    split = await budgets.split(kit, year, None)
    activity = next(m["activity"] for m in split["months"] if m["month"] == facts["month"])
    async with kit.db.transaction() as session:
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"campaign-month:{facts['month']}"))))
        allocated = await session.scalar(
            select(func.coalesce(func.sum(campaigns.c.budget), 0)).where(campaigns.c.month == facts["month"])
        )
        over = budget_rules.overspend(activity, Decimal(allocated), facts["budget"])
        if over:
            raise Conflict(
                f"{facts['month']} has {activity - Decimal(allocated)} of activity budget left; "
                f"{facts['budget']} asked",
                code="over-budget",
                limit=str(activity),
                used=str(allocated),
                asked=str(facts["budget"]),
                over=str(over),
            )
        campaign_id = str(uuid.uuid4())
        await session.execute(campaigns.insert().values(id=campaign_id, created_by=by.username, **facts))
        return await _view(session, campaign_id)


async def spend(kit: Kit, campaign_id: str, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """MKT-6: committed against the campaign; concurrent spends are serialised on the campaign row."""
    approve_overrun = facts.pop("approve_overrun", False)
    if approve_overrun and not holds(by, Permission.BUDGET_APPROVE):
        raise Forbidden("only the general manager approves spend over budget")
    async with kit.db.transaction() as session:
        campaign = await _locked(session, campaign_id)
        used = Decimal(
            await session.scalar(
                select(func.coalesce(func.sum(spends.c.amount), 0)).where(spends.c.campaign_id == campaign_id)
            )
        )
        over = budget_rules.overspend(campaign.budget, used, facts["amount"])
        if over and not approve_overrun:
            raise Conflict(
                f"campaign {campaign.code} has {campaign.budget - used} left; {facts['amount']} asked",
                code="over-budget",
                limit=str(campaign.budget),
                used=str(used),
                asked=str(facts["amount"]),
                over=str(over),
            )
        await session.execute(
            spends.insert().values(
                id=str(uuid.uuid4()),
                campaign_id=campaign_id,
                created_by=by.username,
                overrun_approved_by=by.username if over else None,
                **facts,
            )
        )
        return await _view(session, campaign_id)


async def get(kit: Kit, campaign_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        return await _view(session, campaign_id)


async def _view(session: AsyncConnection, campaign_id: str) -> dict[str, Any]:
    campaign = await row_or_404(session, campaigns.c.id, campaign_id, "campaign")
    rows = (
        await session.execute(select(spends).where(spends.c.campaign_id == campaign_id).order_by(spends.c.created_at))
    ).all()
    spent = sum((r.amount for r in rows), Decimal("0.00"))
    return {
        **campaign._mapping,
        "spent": spent,
        "remaining": campaign.budget - spent,
        "spends": [dict(r._mapping) for r in rows],
    }


async def review(kit: Kit, campaign_id: str, facts: dict[str, Any] | None, *, by: Principal) -> dict[str, Any]:
    """MKT-5: the after-action review — the checklist answered, analysis and summary, and the targets
    of the plan against what the events say the campaign brought."""
    async with kit.db.transaction() as session:
        campaign = await _locked(session, campaign_id)
        if facts is not None:
            await session.execute(
                update(campaigns)
                .where(campaigns.c.id == campaign_id)
                .values(review=facts, reviewed_by=by.username, reviewed_at=func.now(), version=campaigns.c.version + 1)
            )
            campaign = (await session.execute(select(campaigns).where(campaigns.c.id == campaign_id))).one()
        got = await attribution.actuals(session, campaign.code)
        spent = Decimal(
            await session.scalar(
                select(func.coalesce(func.sum(spends.c.amount), 0)).where(spends.c.campaign_id == campaign_id)
            )
        )
    written = campaign.review or {}
    answers = written.get("answers", {})
    return {
        "campaign_id": campaign_id,
        "code": campaign.code,
        "answers": answers,
        "analysis": written.get("analysis", ""),
        "summary": written.get("summary", ""),
        "targets": rules.target_results(dict(campaign.plan.get("targets", {})), got),
        "actuals": got,
        "budget": campaign.budget,
        "spent": spent,
        "cost_per_lead": attribution_rules.per(spent, got["leads"]),
        "missing": rules.review_gaps(answers, written.get("analysis", ""), written.get("summary", "")),
        "reviewed_by": campaign.reviewed_by,
        "reviewed_at": campaign.reviewed_at,
    }


async def listing(kit: Kit, month: str | None) -> list[dict[str, Any]]:
    query = select(campaigns.c.id).order_by(campaigns.c.month, campaigns.c.code)
    if month:
        query = query.where(campaigns.c.month == month)
    async with kit.db.transaction() as session:
        ids = (await session.execute(query)).scalars().all()
        return [await _view(session, campaign_id) for campaign_id in ids]


async def _locked(session: AsyncConnection, campaign_id: str) -> Any:
    """The campaign, locked until the transaction ends (spends and the review are serialised on it)."""
    return await row_or_404(session, campaigns.c.id, campaign_id, "campaign", lock=True)
