import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from servicekit import staff
from servicekit.auth import Principal
from servicekit.calendar import today as calendar_today
from servicekit.concurrency import check_version
from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error
from servicekit.hooks import Hook
from servicekit.kit import Kit
from servicekit.roles import SALES_STAFF
from sqlalchemy import bindparam, delete, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from leads import scope
from leads.customers.tables import customer_sellers, customers, ownership_changes

merged: Hook[[AsyncConnection, str, str]] = Hook("customer merged (duplicate id, survivor id)")
"""Every feature that keeps a customer id moves the duplicate's rows to the survivor."""
owner_changed: Hook[[AsyncConnection, str, str | None]] = Hook("customer's owner changed (customer id, new owner)")
"""The open leads and the open lead work follow the new owner."""
birthday_set: Hook[[AsyncConnection, str, date | None, date]] = Hook("birthday set (customer id, birthday, today)")
"""The birthday greeting is planned (LEAD-5)."""


_NEW = insert(customers).on_conflict_do_nothing(index_elements=[customers.c.mobile]).returning(*customers.c)
_BY_MOBILE = select(customers).where(customers.c.mobile == bindparam("mobile"))
"""Built once: every handover and every lead looks its customer up by the mobile."""


async def find_or_create(session: AsyncConnection, *, name: str, mobile: str, by: str) -> Any:
    """LEAD-2: a second contact with the same (normalised) mobile attaches to the existing customer
    (or to the one it was merged into)."""
    row = (
        await session.execute(_NEW, {"id": str(uuid.uuid4()), "name": name, "mobile": mobile, "created_by": by})
    ).first()
    if row is None:  # known already
        row = (await session.execute(_BY_MOBILE, {"mobile": mobile})).one()
    if row.merged_into is not None:
        row = (await session.execute(select(customers).where(customers.c.id == row.merged_into))).one()
    return row


def _visible(by: Principal) -> Any:
    """Owned (or delivered to by this consultant) within the caller's scope, or None for all."""
    owned = scope.owned_by_visible(by, customers.c.owner_no)
    if owned is None:
        return None
    if by.employee_no is None:
        return owned
    sold = customers.c.id.in_(
        select(customer_sellers.c.customer_id).where(customer_sellers.c.consultant_no == by.employee_no)
    )
    return or_(owned, sold)


async def _load(session: AsyncConnection, customer_id: str, by: Principal, *, lock: bool = False) -> Any:
    found = await row(session, customer_id, lock=lock)
    if found is None:
        raise NotFound(f"customer {customer_id} not found")
    visible = _visible(by)
    if (
        visible is not None
        and await session.scalar(select(customers.c.id).where(customers.c.id == customer_id, visible)) is None
    ):
        raise Forbidden(f"a {by.role} sees only the customers they own or sold to")
    return found


async def get(kit: Kit, customer_id: str, *, by: Principal) -> dict[str, Any]:
    """A consultant sees the customers they own or sold to; a supervisor the team's; managers all."""
    async with kit.db.transaction() as session:
        row = await _load(session, customer_id, by)
        history = (
            await session.execute(
                select(ownership_changes)
                .where(ownership_changes.c.customer_id == customer_id)
                .order_by(ownership_changes.c.at)
            )
        ).all()
    return {**row._mapping, "ownership_history": [dict(h._mapping) for h in history]}


async def search(
    kit: Kit, *, mobile_prefix: str | None, name: str | None, limit: int, by: Principal
) -> list[dict[str, Any]]:
    """By mobile prefix (ordered by number) or by a part of the name (trigram index; best match first);
    with neither, the newest customers first."""
    query = select(customers).where(customers.c.merged_into.is_(None))
    if not mobile_prefix and not name:
        query = query.order_by(customers.c.created_at.desc(), customers.c.id.desc())
    if mobile_prefix:
        query = query.where(customers.c.mobile.startswith(mobile_prefix, autoescape=True)).order_by(customers.c.mobile)
    if name:
        query = query.where(customers.c.name.contains(name, autoescape=True)).order_by(customers.c.name, customers.c.id)
    visible = _visible(by)
    if visible is not None:
        query = query.where(visible)
    async with kit.db.transaction() as session:
        rows = (await session.execute(query.limit(limit))).all()
    return [dict(r._mapping) for r in rows]


async def update_profile(
    kit: Kit, customer_id: str, changes: dict[str, Any], *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _load(session, customer_id, by, lock=True)
        check_version(row.version, if_match)
        if row.merged_into is not None:
            raise Conflict(f"customer {customer_id} was merged into {row.merged_into}", code="merged")
        await session.execute(
            update(customers)
            .where(customers.c.id == customer_id)
            .values(**changes, version=customers.c.version + 1, updated_at=datetime.now(UTC))
        )
        if "birthday" in changes:
            await birthday_set.fire(session, customer_id, changes["birthday"], calendar_today())
    return await get(kit, customer_id, by=by)


async def change_owner(
    session: AsyncConnection,
    customer_id: str,
    before: str | None,
    after: str | None,
    *,
    cause: str,
    reason: str,
    by: str,
) -> None:
    """A new owner takes the customer, their open leads and open lead work; the history keeps why."""
    await session.execute(
        update(customers)
        .where(customers.c.id == customer_id)
        .values(owner_no=after, version=customers.c.version + 1, updated_at=datetime.now(UTC))
    )
    await owner_changed.fire(session, customer_id, after)
    await session.execute(
        ownership_changes.insert().values(
            id=str(uuid.uuid4()),
            customer_id=customer_id,
            owner_before=before,
            owner_after=after,
            cause=cause,
            reason=reason,
            by=by,
        )
    )


async def reassign(kit: Kit, customer_id: str, owner_no: str, reason: str, *, by: Principal) -> dict[str, Any]:
    """LEAD-3: a sales manager may reassign, with a reason kept in the history."""
    async with kit.db.transaction() as session:
        row = await _load(session, customer_id, by, lock=True)
        if row.merged_into is not None:
            raise Conflict(f"customer {customer_id} was merged into {row.merged_into}", code="merged")
        await staff.active_member(session, owner_no, field="owner_no", on=calendar_today(), roles=set(SALES_STAFF))
        if owner_no != row.owner_no:
            await change_owner(
                session, customer_id, row.owner_no, owner_no, cause="reassignment", reason=reason, by=by.username
            )
    return await get(kit, customer_id, by=by)


async def merge(kit: Kit, customer_id: str, duplicate_id: str, *, by: Principal) -> dict[str, Any]:
    """A duplicate found later (another mobile of the same person) is merged into ``customer_id``:
    its leads, visits, tasks, quotes, orders, test drives and deliveries move over, so both histories
    are kept under one customer; the duplicate stays as a pointer and its mobile finds the survivor."""
    if duplicate_id == customer_id:
        raise Unprocessable(
            "a customer cannot be merged into itself", errors=[field_error("duplicate_id", "same customer")]
        )
    async with kit.db.transaction() as session:
        first, second = sorted([customer_id, duplicate_id])  # lock in one order: no deadlock between two merges
        rows = {}
        for cid in (first, second):
            rows[cid] = await _load(session, cid, by, lock=True)
        survivor, duplicate = rows[customer_id], rows[duplicate_id]
        for row in (survivor, duplicate):
            if row.merged_into is not None:
                raise Conflict(f"customer {row.id} was already merged into {row.merged_into}", code="merged")
        await merged.fire(session, duplicate_id, customer_id)
        await session.execute(
            insert(customer_sellers)
            .from_select(
                ["customer_id", "consultant_no"],
                select(literal(customer_id, UUID(as_uuid=False)), customer_sellers.c.consultant_no).where(
                    customer_sellers.c.customer_id == duplicate_id
                ),
            )
            .on_conflict_do_nothing()
        )
        await session.execute(delete(customer_sellers).where(customer_sellers.c.customer_id == duplicate_id))
        await session.execute(
            update(ownership_changes)
            .where(ownership_changes.c.customer_id == duplicate_id)
            .values(customer_id=customer_id)
        )
        fill = {
            k: getattr(duplicate, k)
            for k in ("wechat_id", "birthday", "address", "company")
            if getattr(survivor, k) is None and getattr(duplicate, k) is not None
        }
        await session.execute(
            update(customers)
            .where(customers.c.id == customer_id)
            .values(
                **fill,
                owner_no=survivor.owner_no or duplicate.owner_no,
                version=customers.c.version + 1,
                updated_at=datetime.now(UTC),
            )
        )
        await session.execute(
            update(customers)
            .where(customers.c.id == duplicate_id)
            .values(merged_into=customer_id, version=customers.c.version + 1, updated_at=datetime.now(UTC))
        )
        await session.execute(
            ownership_changes.insert().values(
                id=str(uuid.uuid4()),
                customer_id=customer_id,
                owner_before=duplicate.owner_no,
                owner_after=survivor.owner_no or duplicate.owner_no,
                cause="merge",
                reason=f"merged duplicate {duplicate_id} ({duplicate.mobile})",
                by=by.username,
            )
        )
    result = await get(kit, customer_id, by=by)
    return {**result, "merged": [duplicate_id]}


async def row(session: AsyncConnection, customer_id: str, *, lock: bool = False) -> Any | None:
    """The customer, or None (no access check: for the features that already hold its id)."""
    try:
        uuid.UUID(customer_id)
    except ValueError:
        return None
    query = select(customers).where(customers.c.id == customer_id)
    return (await session.execute(query.with_for_update() if lock else query)).first()


async def names(session: AsyncConnection, customer_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """By customer id, the fields a list adds to say whom a row is about: ``customer_name`` and
    ``customer_mobile`` (no access check: the caller shows only rows it may show)."""
    wanted = {c for c in customer_ids if c}
    if not wanted:
        return {}
    query = select(customers.c.id, customers.c.name, customers.c.mobile).where(customers.c.id.in_(wanted))
    return {r.id: {"customer_name": r.name, "customer_mobile": r.mobile} for r in (await session.execute(query)).all()}


async def id_of_mobile(session: AsyncConnection, mobile: str) -> str | None:
    return await session.scalar(select(customers.c.id).where(customers.c.mobile == mobile))


async def set_owner(session: AsyncConnection, customer_id: str, owner_no: str | None) -> None:
    """A first owner, taken with the customer's first lead (no history: nobody owned them before)."""
    await session.execute(update(customers).where(customers.c.id == customer_id).values(owner_no=owner_no))


async def owner_called(session: AsyncConnection, customer_id: str) -> None:
    """The owner phoned the customer (LEAD-3: a later walk-in stays theirs)."""
    await session.execute(update(customers).where(customers.c.id == customer_id).values(owner_called_at=func.now()))


_SOLD_TO = insert(customer_sellers).on_conflict_do_nothing()


async def sold_to(session: AsyncConnection, customer_id: str, consultant_no: str) -> None:
    """A consultant handed a car over to the customer: they see the customer from now on."""
    await session.execute(_SOLD_TO, {"customer_id": customer_id, "consultant_no": consultant_no})
