import uuid
from datetime import UTC, datetime
from typing import Any

from fours_contracts import LeadCreated, LeadLost, VisitRegistered
from servicekit import outbox
from servicekit.auth import Principal
from servicekit.concurrency import check_version
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from servicekit.roles import Role
from servicekit.tables import staff_directory
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from leads import scope
from leads.customers import service as customers
from leads.prospects import rules
from leads.prospects.tables import lead_contacts, leads, lost_reasons, visits
from leads.tasks import rules as task_rules
from leads.tasks import service as tasks


async def create(session: AsyncConnection, kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    """LEAD-2: a lead for a known mobile attaches to that customer (and to their owner)."""
    existing = await customers.id_of_mobile(session, facts["mobile"])
    customer = await customers.find_or_create(session, name=facts["name"], mobile=facts["mobile"], by=by)
    owner = facts.get("owner_no") or customer.owner_no
    if owner and not customer.owner_no:
        await customers.set_owner(session, customer.id, owner)
    lead_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    follow_up = facts.get("next_follow_up") or task_rules.default_next_follow_up(now)
    row = (
        await session.execute(
            leads.insert()
            .values(
                id=lead_id,
                customer_id=customer.id,
                source=facts["source"],
                channel=facts.get("channel"),
                campaign_code=facts.get("campaign_code"),
                model=facts.get("model"),
                budget=facts.get("budget"),
                owner_no=owner,
                next_follow_up=follow_up,
                created_by=by,
                created_at=now,
                updated_at=now,
            )
            .returning(*leads.c)
        )
    ).one()
    # the owner of a known customer is told through their agenda that the customer is back
    returning = f"{customer.name} (your customer) is back via {facts['source']}: " if existing and owner else ""
    if facts["source"] in task_rules.WEB_SOURCES:
        await tasks.open_task(
            session,
            kind="first_contact",
            ref=lead_id,
            lead_id=lead_id,
            customer_id=customer.id,
            assignee_no=owner,
            title=returning + "first contact with a web lead",
            due_at=task_rules.first_contact_deadline(now),
            by=by,
        )
    else:
        await tasks.plan_follow_up(
            session,
            lead_id=lead_id,
            customer_id=customer.id,
            owner_no=owner,
            on=follow_up,
            by=by,
            title=returning + "follow up the lead",
        )
    await outbox.publish(
        session,
        LeadCreated(
            lead_id=lead_id,
            customer_id=customer.id,
            source=row.source,
            channel=row.channel,
            campaign_code=row.campaign_code,
            model=row.model,
            owner_no=owner,
            created_at=row.created_at,
        ),
        source=kit.source,
    )
    return {**row._mapping, "lead_id": lead_id, "known_customer": existing is not None}


async def create_one(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    if by.role in scope.OWN:
        facts = {**facts, "owner_no": facts.get("owner_no") or by.employee_no}
        if facts["owner_no"] != by.employee_no:
            raise Forbidden(f"a {by.role} enters leads in their own name")
    async with kit.db.transaction() as session:
        return await create(session, kit, facts, by=by.username)


async def get(kit: Kit, lead_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _row(session, lead_id, by)
        contacts = (
            await session.execute(
                select(lead_contacts).where(lead_contacts.c.lead_id == lead_id).order_by(lead_contacts.c.at)
            )
        ).all()
        named = await customers.names(session, [row.customer_id])
    return {
        **row._mapping,
        **named.get(row.customer_id, {}),
        "lead_id": row.id,
        "contacts": [dict(c._mapping) for c in contacts],
        "allowed_transitions": rules.allowed_moves(row.state),
    }


async def move(
    kit: Kit,
    lead_id: str,
    to: str,
    lost_reason: str | None,
    *,
    by: Principal,
    if_match: str | None,
    lost_note: str | None = None,
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _row(session, lead_id, by, lock=True)
        check_version(row.version, if_match)
        await change_state(session, kit, row, to, lost_reason=lost_reason, lost_note=lost_note, by=by.username)
    return await get(kit, lead_id, by=by)


async def change_state(
    session: AsyncConnection,
    kit: Kit,
    row: Any,
    to: str,
    *,
    by: str,
    lost_reason: str | None = None,
    lost_note: str | None = None,
) -> None:
    """LEAD-4 for a locked lead row: checks the move, records it, opens or closes the lead's work and
    publishes *lead lost*. Quotes, orders and deliveries move their lead through here too."""
    try:
        rules.check_move(row.state, to, lost_reason)
    except rules.InvalidMove as exc:
        raise Conflict(str(exc), code="invalid-transition", allowed=exc.allowed) from exc
    except ValueError as exc:
        raise Unprocessable(str(exc), errors=[field_error("lost_reason", str(exc))]) from exc
    now = datetime.now(UTC)
    changes: dict[str, Any] = {"state": to, "version": leads.c.version + 1, "updated_at": now}
    if to == "lost":
        await _check_lost_reason(session, lost_reason)
        changes |= {"lost_reason": lost_reason, "lost_note": lost_note, "lost_at": now}
        await tasks.cancel_for_lead(session, row.id, by=by)
        await outbox.publish(
            session,
            LeadLost(
                lead_id=row.id,
                customer_id=row.customer_id,
                owner_no=row.owner_no,
                reason_code=lost_reason or "",
                note=lost_note,
                campaign_code=row.campaign_code,
                lost_at=now,
            ),
            source=kit.source,
        )
    elif row.state == "lost":
        changes |= {"lost_reason": None, "lost_note": None, "lost_at": None}
        follow_up = task_rules.default_next_follow_up(now)
        changes["next_follow_up"] = follow_up
        await tasks.plan_follow_up(
            session, lead_id=row.id, customer_id=row.customer_id, owner_no=row.owner_no, on=follow_up, by=by
        )
    elif to == "delivered":
        changes["next_follow_up"] = None
        await tasks.cancel_for_lead(session, row.id, by=by)
    await session.execute(update(leads).where(leads.c.id == row.id).values(**changes))


async def advance(session: AsyncConnection, kit: Kit, lead_id: str | None, to: str, *, by: str) -> None:
    """Move a lead forward to ``to`` if it is not there or beyond yet (a quote, order or delivery
    made for it), through the states between, each one a LEAD-4 move."""
    if lead_id is None:
        return
    row = (await session.execute(select(leads).where(leads.c.id == lead_id).with_for_update())).first()
    if row is None or row.state in ("lost", "delivered"):
        return
    path = rules.path_to(row.state, to)
    for state in path:
        await change_state(session, kit, row, state, by=by)
        row = (await session.execute(select(leads).where(leads.c.id == lead_id))).one()


async def _check_lost_reason(session: AsyncConnection, code: str | None) -> None:
    active = (await session.execute(select(lost_reasons.c.code).where(lost_reasons.c.active))).scalars().all()
    if code not in active:
        raise Unprocessable(
            f"{code!r} is not one of the store's lost reasons",
            errors=[field_error("lost_reason", f"must be one of: {', '.join(sorted(active))}")],
        )


async def list_lost_reasons(kit: Kit, *, include_inactive: bool) -> list[dict[str, Any]]:
    query = select(lost_reasons).order_by(lost_reasons.c.code)
    if not include_inactive:
        query = query.where(lost_reasons.c.active)
    async with kit.db.transaction() as session:
        return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def put_lost_reason(kit: Kit, code: str, label: str, active: bool) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        stmt = insert(lost_reasons).values(code=code, label=label, active=active)
        row = (
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[lost_reasons.c.code], set_={"label": label, "active": active}
                ).returning(*lost_reasons.c)
            )
        ).one()
    return dict(row._mapping)


async def search(kit: Kit, *, by: Principal, filters: dict[str, Any], limit: int, cursor: str | None) -> dict[str, Any]:
    query = select(leads)
    for name in ("state", "owner_no", "customer_id", "source", "campaign_code"):
        if filters.get(name) is not None:
            query = query.where(leads.c[name] == filters[name])
    query = scope.narrowed(query, by, leads.c.owner_no)
    order = (leads.c.created_at, leads.c.id)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit, descending=True)
        named = await customers.names(session, (r.customer_id for r in page))
    return {
        "items": [
            {
                **r._mapping,
                "lead_id": r.id,
                "allowed_transitions": rules.allowed_moves(r.state),
                **named.get(r.customer_id, {}),
            }
            for r in page
        ],
        "next_cursor": next_cursor,
    }


async def add_contact(kit: Kit, lead_id: str, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _row(session, lead_id, by, lock=True)
        if row.state in rules.OPEN and facts.get("next_follow_up") is None:
            raise Unprocessable(
                "every open lead has a next follow-up date",
                errors=[field_error("next_follow_up", "required while the lead is open")],
            )
        await session.execute(
            lead_contacts.insert().values(
                id=str(uuid.uuid4()), lead_id=lead_id, by=by.username, by_no=by.employee_no, **facts
            )
        )
        changes: dict[str, Any] = {
            "next_follow_up": facts.get("next_follow_up"),
            "updated_at": func.now(),
            "version": leads.c.version + 1,
        }
        if row.state == "new" and facts["outcome"] == "reached":
            changes["state"] = "contacted"
        await session.execute(update(leads).where(leads.c.id == lead_id).values(**changes))
        await tasks.close(session, "first_contact", lead_id, status="done", by=by.username)
        if row.state in rules.OPEN:
            await tasks.plan_follow_up(
                session,
                lead_id=lead_id,
                customer_id=row.customer_id,
                owner_no=row.owner_no,
                on=facts["next_follow_up"],
                by=by.username,
            )
        if facts["kind"] == "call" and row.owner_no and by.employee_no == row.owner_no:
            await customers.owner_called(session, row.customer_id)
    return await get(kit, lead_id, by=by)


async def register_visit(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """The showroom traffic register: who came, when, who received them; applies LEAD-3."""
    async with kit.db.transaction() as session:
        customer = await customers.row(session, facts["customer_id"], lock=True)
        if customer is None:
            raise NotFound(f"customer {facts['customer_id']} not found")
        last = await session.scalar(select(func.max(visits.c.at)).where(visits.c.customer_id == customer.id))
        key_accounts = frozenset(
            (
                await session.execute(
                    select(staff_directory.c.employee_no).where(staff_directory.c.role == Role.KEY_ACCOUNT)
                )
            ).scalars()
        )
        called = customer.owner_called_at is not None and (last is None or customer.owner_called_at > last)
        owner, reason = rules.owner_after_visit(
            rules.Ownership(
                customer.owner_no,
                last,
                called,
                company_buyer=customer.company is not None,
                key_account_agreement=customer.key_account_agreement,
                key_account_contacts=await _worked_by(session, customer.id, key_accounts),
            ),
            rules.Visit(
                at=facts["at"],
                received_by=facts["received_by"],
                booked_by=facts.get("booked_by"),
                asked_for=facts.get("asked_for"),
                chosen_by_customer=facts.get("chosen_by_customer"),
            ),
            key_account_staff=key_accounts,
        )
        visit_id = str(uuid.uuid4())
        await session.execute(
            visits.insert().values(
                id=visit_id,
                customer_id=customer.id,
                at=facts["at"],
                received_by=facts["received_by"],
                booked_by=facts.get("booked_by"),
                asked_for=facts.get("asked_for"),
                owner_before=customer.owner_no,
                owner_after=owner,
                reason=reason,
                recorded_by=by.username,
            )
        )
        if owner != customer.owner_no:
            await customers.change_owner(
                session, customer.id, customer.owner_no, owner, cause="visit", reason=reason, by=by.username
            )
        await session.execute(
            update(leads)
            .where(leads.c.customer_id == customer.id, leads.c.state.in_(["new", "contacted"]))
            .values(state="visited", updated_at=func.now(), version=leads.c.version + 1)
        )
        latest = (
            await session.execute(
                select(leads.c.id, leads.c.campaign_code, leads.c.channel)
                .where(leads.c.customer_id == customer.id, leads.c.state.in_(rules.OPEN))
                .order_by(leads.c.created_at.desc())
                .limit(1)
            )
        ).first()
        await outbox.publish(
            session,
            VisitRegistered(
                visit_id=visit_id,
                customer_id=customer.id,
                received_by=facts["received_by"],
                lead_id=latest.id if latest else None,
                campaign_code=latest.campaign_code if latest else None,
                channel=latest.channel if latest else None,
                at=facts["at"],
            ),
            source=kit.source,
        )
    return {
        "visit_id": visit_id,
        "customer_id": customer.id,
        "owner_before": customer.owner_no,
        "owner_after": owner,
        "reason": reason,
        "at": facts["at"],
    }


async def _row(session: AsyncConnection, lead_id: str, by: Principal, *, lock: bool = False) -> Any:
    row = await row_or_404(session, leads.c.id, lead_id, "lead", lock=lock)
    await scope.check_visible(session, by, row.owner_no, "leads")
    return row


async def customer_owner_changed(session: AsyncConnection, customer_id: str, owner_no: str | None) -> None:
    """The customer's open leads follow their new owner (LEAD-3)."""
    await session.execute(
        update(leads)
        .where(leads.c.customer_id == customer_id, leads.c.state.notin_(["lost", "delivered"]))
        .values(owner_no=owner_no, updated_at=datetime.now(UTC))
    )


async def move_customer(session: AsyncConnection, duplicate_id: str, survivor_id: str) -> None:
    for table in (leads, visits):
        await session.execute(update(table).where(table.c.customer_id == duplicate_id).values(customer_id=survivor_id))


async def lead_row(session: AsyncConnection, lead_id: str, *, lock: bool = False) -> Any | None:
    query = select(leads).where(leads.c.id == lead_id)
    return (await session.execute(query.with_for_update() if lock else query)).first()


async def _worked_by(session: AsyncConnection, customer_id: str, staff: frozenset[str]) -> frozenset[str]:
    """Which of ``staff`` have a contact record with the customer (on any of their leads) or received a visit."""
    if not staff:
        return frozenset()
    contacted = (
        select(lead_contacts.c.by_no)
        .join(leads, leads.c.id == lead_contacts.c.lead_id)
        .where(leads.c.customer_id == customer_id, lead_contacts.c.by_no.in_(staff))
    )
    visited = select(visits.c.received_by).where(visits.c.customer_id == customer_id, visits.c.received_by.in_(staff))
    rows = await session.execute(contacted.union(visited))
    return frozenset(rows.scalars())
