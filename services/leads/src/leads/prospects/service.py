import uuid
from typing import Any

from fours_contracts import LeadCreated
from servicekit import outbox
from servicekit.auth import Principal
from servicekit.concurrency import check_version
from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.roles import Role
from servicekit.tables import staff_directory
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from leads.customers import service as customers
from leads.customers.tables import customers as customers_table
from leads.prospects import rules
from leads.prospects.tables import lead_contacts, leads, visits


async def create(session: AsyncSession, kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    """LEAD-2: a lead for a known mobile attaches to that customer (and to their owner)."""
    existing = await session.scalar(select(customers_table.c.id).where(customers_table.c.mobile == facts["mobile"]))
    customer = await customers.find_or_create(session, name=facts["name"], mobile=facts["mobile"], by=by)
    owner = facts.get("owner_no") or customer.owner_no
    if owner and not customer.owner_no:
        await session.execute(update(customers_table).where(customers_table.c.id == customer.id).values(owner_no=owner))
    lead_id = str(uuid.uuid4())
    row = (
        await session.execute(
            leads.insert()
            .values(id=lead_id, customer_id=customer.id, source=facts["source"], channel=facts.get("channel"),
                    campaign_code=facts.get("campaign_code"), model=facts.get("model"), budget=facts.get("budget"),
                    owner_no=owner, created_by=by)
            .returning(*leads.c)
        )
    ).one()  # fmt: skip
    await outbox.publish(
        session,
        LeadCreated(lead_id=lead_id, customer_id=customer.id, source=row.source, channel=row.channel,
                    campaign_code=row.campaign_code, model=row.model, owner_no=owner, created_at=row.created_at),
        source=kit.source,
    )  # fmt: skip
    return {**row._mapping, "lead_id": lead_id, "known_customer": existing is not None}


async def create_one(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    if by.role == Role.SALES_CONSULTANT:
        facts = {**facts, "owner_no": facts.get("owner_no") or by.employee_no}
        if facts["owner_no"] != by.employee_no:
            raise Forbidden("a sales consultant enters leads in their own name")
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
    return {**row._mapping, "lead_id": row.id, "contacts": [dict(c._mapping) for c in contacts],
            "allowed_transitions": rules.allowed_moves(row.state)}  # fmt: skip


async def move(
    kit: Kit, lead_id: str, to: str, lost_reason: str | None, *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _row(session, lead_id, by, lock=True)
        check_version(row.version, if_match)
        try:
            rules.check_move(row.state, to, lost_reason)
        except rules.InvalidMove as exc:
            raise Conflict(str(exc), code="invalid-transition", allowed=exc.allowed) from exc
        except ValueError as exc:
            raise Unprocessable(str(exc), errors=[field_error("lost_reason", str(exc))]) from exc
        await session.execute(
            update(leads)
            .where(leads.c.id == lead_id)
            .values(state=to, lost_reason=lost_reason if to == "lost" else None,
                    version=leads.c.version + 1, updated_at=func.now())
        )  # fmt: skip
    return await get(kit, lead_id, by=by)


async def add_contact(kit: Kit, lead_id: str, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _row(session, lead_id, by, lock=True)
        await session.execute(
            lead_contacts.insert().values(id=str(uuid.uuid4()), lead_id=lead_id, by=by.username, **facts)
        )
        changes: dict[str, Any] = {"next_follow_up": facts.get("next_follow_up"), "updated_at": func.now(),
                                   "version": leads.c.version + 1}  # fmt: skip
        if row.state == "new" and facts["outcome"] == "reached":
            changes["state"] = "contacted"
        await session.execute(update(leads).where(leads.c.id == lead_id).values(**changes))
        if facts["kind"] == "call" and row.owner_no and by.employee_no == row.owner_no:
            await session.execute(
                update(customers_table)
                .where(customers_table.c.id == row.customer_id)
                .values(owner_called_at=func.now())
            )
    return await get(kit, lead_id, by=by)


async def register_visit(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """The showroom traffic register: who came, when, who received them; applies LEAD-3."""
    async with kit.db.transaction() as session:
        customer = (
            await session.execute(
                select(customers_table).where(customers_table.c.id == facts["customer_id"]).with_for_update()
            )
        ).first()
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
            rules.Ownership(customer.owner_no, last, called, company_buyer=customer.company is not None),
            rules.Visit(at=facts["at"], received_by=facts["received_by"], booked_by=facts.get("booked_by"),
                        asked_for=facts.get("asked_for"), chosen_by_customer=facts.get("chosen_by_customer")),
            key_account_staff=key_accounts,
        )  # fmt: skip
        visit_id = str(uuid.uuid4())
        await session.execute(
            visits.insert().values(id=visit_id, customer_id=customer.id, at=facts["at"], received_by=facts["received_by"],
                                   booked_by=facts.get("booked_by"), asked_for=facts.get("asked_for"),
                                   owner_before=customer.owner_no, owner_after=owner, reason=reason, recorded_by=by.username)
        )  # fmt: skip
        if owner != customer.owner_no:
            await session.execute(
                update(customers_table).where(customers_table.c.id == customer.id).values(owner_no=owner)
            )
            await session.execute(update(leads).where(leads.c.customer_id == customer.id, leads.c.state.in_(rules.OPEN))
                                  .values(owner_no=owner, updated_at=func.now()))  # fmt: skip
        await session.execute(
            update(leads)
            .where(leads.c.customer_id == customer.id, leads.c.state.in_(["new", "contacted"]))
            .values(state="visited", updated_at=func.now(), version=leads.c.version + 1)
        )
    return {"visit_id": visit_id, "customer_id": customer.id, "owner_before": customer.owner_no, "owner_after": owner,
            "reason": reason, "at": facts["at"]}  # fmt: skip


async def _row(session: AsyncSession, lead_id: str, by: Principal, *, lock: bool = False) -> Any:
    query = select(leads).where(leads.c.id == lead_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise NotFound(f"lead {lead_id} not found")
    if by.role == Role.SALES_CONSULTANT and row.owner_no != by.employee_no:
        raise Forbidden("a sales consultant sees and changes only the leads they own")
    return row
