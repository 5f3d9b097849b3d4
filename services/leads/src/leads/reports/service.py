"""The funnel report in SQL: one grouped count per stage over the period, merged by ``reports.rules``."""

from datetime import date
from typing import Any

from servicekit.auth import Principal
from servicekit.calendar import instants_of
from servicekit.kit import Kit
from servicekit.tables import staff_directory
from sqlalchemy import Date, cast, func, select, text
from sqlalchemy.sql import ColumnElement

from leads import scope
from leads.deliveries.tables import deliveries
from leads.orders.tables import orders, quotes
from leads.prospects.tables import lead_contacts, leads, visits
from leads.reports import rules
from leads.test_drives.tables import test_drives

PERIODS = ("day", "week", "month")


def _source_of(lead_id: Any) -> ColumnElement[Any]:
    return select(leads.c.source).where(leads.c.id == lead_id).scalar_subquery()


def _latest_source(customer_id: Any) -> ColumnElement[Any]:
    return (
        select(leads.c.source)
        .where(leads.c.customer_id == customer_id)
        .order_by(leads.c.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _stages() -> list[tuple[str, Any, Any, Any, Any]]:
    """(stage, table, timestamp, consultant, source) of every funnel stage."""
    delivered_lead = select(orders.c.lead_id).where(orders.c.id == deliveries.c.order_id).scalar_subquery()
    return [
        ("leads", leads, leads.c.created_at, leads.c.owner_no, leads.c.source),
        ("contacts", lead_contacts, lead_contacts.c.at, lead_contacts.c.by_no, _source_of(lead_contacts.c.lead_id)),
        ("visits", visits, visits.c.at, visits.c.received_by, _latest_source(visits.c.customer_id)),
        (
            "test_drives",
            test_drives,
            test_drives.c.driven_at,
            test_drives.c.consultant_no,
            _source_of(test_drives.c.lead_id),
        ),
        ("quotes", quotes, quotes.c.created_at, quotes.c.consultant_no, _source_of(quotes.c.lead_id)),
        ("orders", orders, orders.c.placed_at, orders.c.consultant_no, _source_of(orders.c.lead_id)),
        ("deliveries", deliveries, deliveries.c.delivered_at, deliveries.c.consultant_no, _source_of(delivered_lead)),
        ("lost", leads, leads.c.lost_at, leads.c.owner_no, leads.c.source),
    ]


def _key(by: str, ts: Any, consultant: Any, source: Any) -> ColumnElement[Any]:
    if by == "consultant":
        return consultant  # type: ignore[no-any-return]
    if by == "team":
        return select(staff_directory.c.team).where(staff_directory.c.employee_no == consultant).scalar_subquery()
    if by == "source":
        return source  # type: ignore[no-any-return]
    return cast(func.date_trunc(by, func.timezone("Asia/Shanghai", ts)), Date)


async def funnel(kit: Kit, *, start: date, end: date, by: str, principal: Principal) -> dict[str, Any]:
    lower, upper = instants_of(start, end)
    counts: dict[tuple[str, str | None], int] = {}
    reasons: dict[tuple[str | None, str], int] = {}
    async with kit.db.transaction() as session:
        for stage, table, ts, consultant, source in _stages():
            key = _key(by, ts, consultant, source).label("key")
            query = select(key, func.count().label("n")).select_from(table).where(ts >= lower, ts < upper)
            if stage == "deliveries":
                query = query.where(deliveries.c.status == "delivered")
            visible = scope.owned_by_visible(principal, consultant)
            if visible is not None:
                query = query.where(visible)
            for row in (await session.execute(query.group_by(text("1")))).all():
                counts[(stage, _text(row.key))] = row.n
            if stage == "lost":
                lost_query = (
                    select(key, leads.c.lost_reason, func.count().label("n"))
                    .where(ts >= lower, ts < upper, leads.c.state == "lost")
                    .group_by(text("1"), text("2"))
                )
                if visible is not None:
                    lost_query = lost_query.where(visible)
                for row in (await session.execute(lost_query)).all():
                    reasons[(_text(row.key), row.lost_reason or "unknown")] = row.n
    return {"from": start, "to": end, "by": by, **rules.funnel(counts, reasons)}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
