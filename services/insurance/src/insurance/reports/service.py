"""INS-4 reports, produced by the scheduler on their day and kept for download; INS-5 reconciliation."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic_core import to_jsonable_python
from servicekit import scheduler
from servicekit.calendar import instants_of, month_span
from servicekit.calendar import today as calendar_today
from servicekit.db import row_or_404
from servicekit.kit import Kit
from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.loans.tables import loan_applications
from insurance.new_cars import rules as new_car_rules
from insurance.new_cars.tables import new_car_sales
from insurance.policies.tables import policies
from insurance.renewals import rules as renewal_rules
from insurance.renewals import service as renewal_service
from insurance.renewals.tables import renewals
from insurance.repayments import service as repayments
from insurance.reports import rules
from insurance.reports.tables import commission_statements, insurance_reports

CENT = Decimal("0.01")


async def _run(kind: str, session: AsyncConnection, run_at: datetime) -> None:
    """The report of the period before ``run_at``, stored."""
    start, end = rules.period_of(kind, run_at)
    await store(session, kind, start, end)


async def _weekly(session: AsyncConnection, run_at: datetime) -> None:
    await _run("weekly", session, run_at)


async def _monthly(session: AsyncConnection, run_at: datetime) -> None:
    await _run("monthly", session, run_at)


WEEKLY = scheduler.Recurring("reports.insurance.weekly", rules.next_weekly_run, _weekly)
MONTHLY = scheduler.Recurring("reports.insurance.monthly", rules.next_monthly_run, _monthly)


async def store(session: AsyncConnection, kind: str, start: date, end: date) -> dict[str, Any]:
    content = await compute(session, start, end)
    stmt = insert(insurance_reports).values(
        id=str(uuid.uuid4()), kind=kind, period_start=start, period_end=end, content=to_jsonable_python(content)
    )
    row = (
        await session.execute(
            stmt.on_conflict_do_update(
                constraint="insurance_reports_once", set_={"content": stmt.excluded.content, "generated_at": func.now()}
            ).returning(*insurance_reports.c)
        )
    ).one()
    return dict(row._mapping)


async def compute(session: AsyncConnection, start: date, end: date) -> dict[str, Any]:
    """New-car insurance (deliveries, insured through the store, penetration, new-car premium) and
    renewal completion (renewals expiring in the period by outcome, premium renewed, lost reasons)."""
    lower, upper = instants_of(start, end)
    delivered, insured = (
        await session.execute(
            select(func.count(), func.count().filter(new_car_sales.c.insurer.is_not(None))).where(
                new_car_sales.c.delivered_at >= lower,
                new_car_sales.c.delivered_at < upper,
                new_car_sales.c.cancelled.is_(False),
            )
        )
    ).one()
    new_policies, new_premium = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(policies.c.premium), 0)).where(
                policies.c.kind == "new_car", policies.c.start_date >= start, policies.c.start_date <= end
            )
        )
    ).one()
    outcome = await renewal_service.analysis_in(session, start, end)
    renewed_premium = await session.scalar(
        select(func.coalesce(func.sum(renewals.c.premium), 0)).where(
            renewals.c.expires_on >= start, renewals.c.expires_on <= end, renewals.c.status == "renewed"
        )
    )
    return {
        "period": {"from": start, "to": end},
        "new_cars": {
            "delivered": delivered,
            "insured_through_store": insured,
            "penetration": new_car_rules.penetration(delivered, insured),
            "policies": new_policies,
            "premium": Decimal(new_premium),
        },
        "renewals": {
            "due": outcome["due"],
            **{s: outcome[s] for s in renewal_rules.STATES},
            "completion_rate": rules.ratio(outcome["renewed"], outcome["due"]),
            "renewed_premium": Decimal(renewed_premium or 0),
            "lost_reasons": {r["reason"]: r["count"] for r in outcome["lost_reasons"]},
        },
    }


async def listing(kit: Kit, kind: str | None, limit: int) -> list[dict[str, Any]]:
    query = select(insurance_reports).order_by(insurance_reports.c.period_start.desc()).limit(limit)
    if kind:
        query = query.where(insurance_reports.c.kind == kind)
    async with kit.db.transaction() as session:
        return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def one(kit: Kit, report_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, insurance_reports.c.id, report_id, "report")
    return dict(row._mapping)


async def record_statement(kit: Kit, insurer: str, month: str, lines: list[dict[str, Any]], *, by: str) -> None:
    """The insurer's commission statement for a month (a later one replaces it)."""
    stmt = insert(commission_statements).values(
        id=str(uuid.uuid4()),
        insurer=insurer,
        month=month,
        recorded_by=by,
        lines=[{"policy_no": line["policy_no"], "amount": str(line["amount"])} for line in lines],
    )
    async with kit.db.transaction() as session:
        await session.execute(
            stmt.on_conflict_do_update(
                constraint="commission_statements_once",
                set_={"lines": stmt.excluded.lines, "recorded_by": by, "recorded_at": func.now()},
            )
        )


async def reconciliation(kit: Kit, insurer: str, month: str) -> dict[str, Any]:
    """INS-5 for one insurer and month (by the policies' start date)."""
    start, end = month_span(month)
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(policies.c.policy_no, policies.c.premium, policies.c.commission_amount).where(
                    policies.c.insurer == insurer, policies.c.start_date >= start, policies.c.start_date < end
                )
            )
        ).all()
        statement = (
            await session.execute(
                select(commission_statements).where(
                    commission_statements.c.insurer == insurer, commission_statements.c.month == month
                )
            )
        ).first()
    received: dict[str, Decimal] = {}
    for line in statement.lines if statement else []:
        received[line["policy_no"]] = received.get(line["policy_no"], Decimal("0")) + Decimal(line["amount"])
    result = rules.reconcile([rules.Expected(r.policy_no, r.premium, r.commission_amount) for r in rows], received)
    return {
        "insurer": insurer,
        "month": month,
        "statement_received": statement is not None,
        "statement_recorded_at": statement.recorded_at if statement else None,
        **result,
    }


async def loans(kit: Kit, start: date, end: date) -> dict[str, Any]:
    """FIN-7, the F&I office's weekly figures (每周销售情况汇报) for the days ``start``..``end``:
    applications opened, the lenders' answers and their approval rate, the loan penetration of the
    period's deliveries and the handling fees they carried, and what is overdue now; per lender."""
    lower, upper = instants_of(start, end)
    apps = loan_applications.c
    decided = and_(apps.decided_at >= lower, apps.decided_at < upper)
    async with kit.db.transaction() as session:
        by_lender = (
            await session.execute(
                select(
                    apps.lender,
                    func.count().filter(apps.created_at >= lower, apps.created_at < upper),
                    func.count().filter(decided, apps.decline_reason.is_(None)),
                    func.count().filter(decided, apps.decline_reason.is_not(None)),
                    func.coalesce(func.sum(apps.approved_amount).filter(decided, apps.decline_reason.is_(None)), 0),
                )
                .where(or_(and_(apps.created_at >= lower, apps.created_at < upper), decided))
                .group_by(apps.lender)
                .order_by(apps.lender)
            )
        ).all()
        delivered, financed, fees = (
            await session.execute(
                select(
                    func.count(),
                    func.count().filter(new_car_sales.c.loan_lender.is_not(None)),
                    func.coalesce(func.sum(new_car_sales.c.loan_fee), 0),
                ).where(
                    new_car_sales.c.delivered_at >= lower,
                    new_car_sales.c.delivered_at < upper,
                    new_car_sales.c.cancelled.is_(False),
                )
            )
        ).one()
        overdue_count, overdue_amount = await repayments.overdue_figures(session, calendar_today())

    def figures(opened: int, approved: int, declined: int, amount: Any) -> dict[str, Any]:
        return {
            "applications": opened,
            "approved": approved,
            "declined": declined,
            "approval_rate": rules.ratio(approved, approved + declined),
            "approved_amount": Decimal(amount).quantize(CENT),
        }

    lenders = [{"lender": row[0], **figures(*row[1:])} for row in by_lender]
    totals = [sum(row[i] for row in by_lender) for i in range(1, 5)]
    return {
        "period": {"from": start, "to": end},
        **figures(*totals),
        "deliveries": delivered,
        "financed_deliveries": financed,
        "loan_penetration": rules.ratio(financed, delivered),
        "handling_fee_income": Decimal(fees).quantize(CENT),
        "overdue_instalments": overdue_count,
        "overdue_amount": overdue_amount.quantize(CENT),
        "by_lender": lenders,
    }
