"""Follow-up work (LEAD-5): tasks are opened by the events of the CRM itself (a web lead, a contact's
next follow-up date, a handover) and by the scheduler (birthday and purchase-anniversary greetings);
each consultant works them from the agenda, the supervisor watches what is overdue."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from servicekit import scheduler
from servicekit.auth import Principal
from servicekit.calendar import SHANGHAI, business_date
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from leads import scope
from leads.customers import service as customers
from leads.tasks import rules
from leads.tasks.tables import tasks

BIRTHDAY_JOB = "leads.greeting.birthday"
ANNIVERSARY_JOB = "leads.greeting.anniversary"


_OPEN = insert(tasks).on_conflict_do_nothing(
    index_elements=[tasks.c.kind, tasks.c.ref], index_where=text("status = 'open'")
)
"""Built once (a task's values go with each execution): handovers and events open tasks all day."""


async def open_task(
    session: AsyncConnection,
    *,
    kind: str,
    ref: str,
    customer_id: str,
    assignee_no: str | None,
    title: str,
    due_at: datetime,
    by: str,
    lead_id: str | None = None,
) -> None:
    """Open a task; at most one open task per (kind, ref), so a repeat changes nothing."""
    await session.execute(
        _OPEN,
        {
            "id": str(uuid.uuid4()),
            "kind": kind,
            "ref": ref,
            "customer_id": customer_id,
            "lead_id": lead_id,
            "assignee_no": assignee_no,
            "title": title,
            "due_at": due_at,
            "created_by": by,
        },
    )


async def close(session: AsyncConnection, kind: str, ref: str, *, status: str, by: str) -> None:
    await session.execute(
        update(tasks)
        .where(tasks.c.kind == kind, tasks.c.ref == ref, tasks.c.status == "open")
        .values(status=status, done_at=datetime.now(UTC), done_by=by)
    )


async def cancel_for_lead(session: AsyncConnection, lead_id: str, *, by: str) -> None:
    await session.execute(
        update(tasks)
        .where(tasks.c.lead_id == lead_id, tasks.c.status == "open")
        .values(status="cancelled", done_at=datetime.now(UTC), done_by=by)
    )


async def reassign_open(session: AsyncConnection, customer_id: str, owner_no: str | None) -> None:
    """A new owner takes over the customer's open lead work (greetings follow the owner too)."""
    await session.execute(
        update(tasks)
        .where(
            tasks.c.customer_id == customer_id,
            tasks.c.status == "open",
            tasks.c.kind.in_(["first_contact", "follow_up", "birthday"]),
        )
        .values(assignee_no=owner_no)
    )


async def plan_follow_up(
    session: AsyncConnection,
    *,
    lead_id: str,
    customer_id: str,
    owner_no: str | None,
    on: date,
    by: str,
    title: str = "follow up the lead",
) -> None:
    """Every open lead has a next follow-up date: the open follow-up task moves to it."""
    await close(session, "follow_up", lead_id, status="cancelled", by=by)
    await open_task(
        session,
        kind="follow_up",
        ref=lead_id,
        lead_id=lead_id,
        customer_id=customer_id,
        assignee_no=owner_no,
        title=title,
        due_at=rules.due_on(on),
        by=by,
    )


async def plan_birthday(session: AsyncConnection, customer_id: str, birthday: date | None, today: date) -> None:
    await scheduler.cancel_prefix(session, BIRTHDAY_JOB, f"{customer_id}:")
    if birthday is not None:
        day = rules.next_birthday(birthday, today)
        await scheduler.schedule(
            session,
            BIRTHDAY_JOB,
            f"{customer_id}:{day.isoformat()}",
            _morning(day),
            {"customer_id": customer_id, "day": day.isoformat()},
            replace=True,
        )


async def birthday_greeting(session: AsyncConnection, payload: dict[str, Any]) -> None:
    """Due job: the owner greets the customer today; next year's greeting is planned."""
    customer = await customers.row(session, payload["customer_id"])
    if customer is None or customer.birthday is None or customer.merged_into is not None:
        return
    today = date.fromisoformat(payload["day"])
    await open_task(
        session,
        kind="birthday",
        ref=f"{customer.id}:{today.year}",
        customer_id=customer.id,
        assignee_no=customer.owner_no,
        title=f"birthday greeting for {customer.name}",
        due_at=rules.due_on(today),
        by="scheduler",
    )
    await plan_birthday(session, customer.id, customer.birthday, today + timedelta(days=1))


async def plan_anniversary(
    session: AsyncConnection,
    *,
    delivery_id: str,
    customer_id: str,
    consultant_no: str,
    delivered_at: datetime,
    years: int,
) -> None:
    day = rules.anniversary(business_date(delivered_at), years)
    await scheduler.schedule(
        session,
        ANNIVERSARY_JOB,
        f"{delivery_id}:{years}",
        _morning(day),
        {
            "delivery_id": delivery_id,
            "customer_id": customer_id,
            "consultant_no": consultant_no,
            "delivered_at": delivered_at.isoformat(),
            "years": years,
        },
    )


async def anniversary_greeting(session: AsyncConnection, payload: dict[str, Any]) -> None:
    years = int(payload["years"])
    delivered_at = datetime.fromisoformat(payload["delivered_at"])
    day = rules.anniversary(business_date(delivered_at), years)
    await open_task(
        session,
        kind="anniversary",
        ref=f"{payload['delivery_id']}:{years}",
        customer_id=payload["customer_id"],
        assignee_no=payload["consultant_no"],
        title=f"purchase anniversary greeting ({years} year{'s' if years > 1 else ''})",
        due_at=rules.due_on(day),
        by="scheduler",
    )
    await plan_anniversary(
        session,
        delivery_id=payload["delivery_id"],
        customer_id=payload["customer_id"],
        consultant_no=payload["consultant_no"],
        delivered_at=delivered_at,
        years=years + 1,
    )


async def on_delivered(
    session: AsyncConnection, *, delivery_id: str, customer_id: str, consultant_no: str, delivered_at: datetime, by: str
) -> None:
    """After a handover: the consultant's call within 3 days and the yearly anniversary greetings."""
    await open_task(
        session,
        kind="post_delivery_call",
        ref=delivery_id,
        customer_id=customer_id,
        assignee_no=consultant_no,
        title="call the buyer after the handover",
        due_at=rules.post_delivery_call_due(delivered_at),
        by=by,
    )
    await plan_anniversary(
        session,
        delivery_id=delivery_id,
        customer_id=customer_id,
        consultant_no=consultant_no,
        delivered_at=delivered_at,
        years=1,
    )


async def on_delivery_cancelled(session: AsyncConnection, delivery_id: str, *, by: str) -> None:
    await close(session, "post_delivery_call", delivery_id, status="cancelled", by=by)
    await scheduler.cancel_prefix(session, ANNIVERSARY_JOB, f"{delivery_id}:")


def _morning(day: date) -> datetime:
    return datetime.combine(day, rules.OPENS, SHANGHAI) - timedelta(hours=1)


async def agenda(
    kit: Kit,
    *,
    by: Principal,
    assignee: str | None,
    due: str,
    status: str,
    kind: str | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    query = select(tasks)
    if assignee is not None:
        who = by.employee_no if assignee == "me" else assignee
        if who is None:  # "me" for an account with no employee number (the admin): nobody's tasks are theirs
            return {"items": [], "next_cursor": None}
        query = query.where(tasks.c.assignee_no == who)
    query = scope.narrowed(query, by, tasks.c.assignee_no)
    if status != "any":
        query = query.where(tasks.c.status == status)
    if kind is not None:
        query = query.where(tasks.c.kind == kind)
    bound = rules.agenda_window(due, now)
    if bound is not None:
        query = query.where(tasks.c.due_at < bound)
    order = (tasks.c.due_at, tasks.c.id)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit)
        named = await customers.names(session, (r.customer_id for r in page))
    return {"items": [{**_view(r, now), **named.get(r.customer_id, {})} for r in page], "next_cursor": next_cursor}


async def add(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    assignee = facts.get("assignee_no") or by.employee_no
    async with kit.db.transaction() as session:
        customer = await customers.row(session, facts["customer_id"])
        if customer is None:
            raise Unprocessable("unknown customer", errors=[field_error("customer_id", "no such customer")])
        await scope.check_visible(session, by, customer.owner_no, "customers")
        await scope.check_visible(session, by, assignee, "tasks")
        row = (
            await session.execute(
                tasks.insert()
                .values(
                    id=str(uuid.uuid4()),
                    kind="other",
                    ref=str(uuid.uuid4()),
                    customer_id=customer.id,
                    lead_id=facts.get("lead_id"),
                    assignee_no=assignee,
                    title=facts["title"],
                    due_at=facts["due_at"],
                    created_by=by.username,
                )
                .returning(*tasks.c)
            )
        ).one()
    return _view(row, datetime.now(UTC))


async def complete(kit: Kit, task_id: str, note: str | None, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, tasks.c.id, task_id, "task", lock=True)
        await scope.check_visible(session, by, row.assignee_no, "tasks")
        if row.status != "open":
            raise Conflict(f"the task is {row.status}; only open tasks are completed", code="invalid-state")
        row = (
            await session.execute(
                update(tasks)
                .where(tasks.c.id == task_id)
                .values(status="done", note=note, done_at=datetime.now(UTC), done_by=by.username)
                .returning(*tasks.c)
            )
        ).one()
    return _view(row, datetime.now(UTC))


def _view(row: Any, now: datetime) -> dict[str, Any]:
    view = dict(row._mapping)
    view["overdue"] = rules.is_overdue(row.status, row.due_at, now)
    view["on_time"] = None if row.done_at is None or row.status != "done" else row.done_at <= row.due_at
    return view


async def move_customer(session: AsyncConnection, duplicate_id: str, survivor_id: str) -> None:
    await session.execute(update(tasks).where(tasks.c.customer_id == duplicate_id).values(customer_id=survivor_id))
