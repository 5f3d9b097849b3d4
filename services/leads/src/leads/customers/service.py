import uuid
from typing import Any

from servicekit.auth import Principal
from servicekit.errors import Forbidden, NotFound
from servicekit.kit import Kit
from servicekit.roles import Role
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from leads.customers.tables import customers
from leads.deliveries.tables import deliveries


async def find_or_create(session: AsyncSession, *, name: str, mobile: str, by: str) -> Any:
    """LEAD-2: a second contact with the same (normalised) mobile attaches to the existing customer."""
    await session.execute(
        insert(customers)
        .values(id=str(uuid.uuid4()), name=name, mobile=mobile, created_by=by)
        .on_conflict_do_nothing(index_elements=[customers.c.mobile])
    )
    return (await session.execute(select(customers).where(customers.c.mobile == mobile))).one()


def _sees_all(by: Principal) -> bool:
    return by.role != Role.SALES_CONSULTANT


async def get(kit: Kit, customer_id: str, *, by: Principal) -> dict[str, Any]:
    """A consultant sees the customers they sold to; supervisors and managers see all."""
    try:
        uuid.UUID(customer_id)
    except ValueError as exc:
        raise NotFound(f"customer {customer_id} not found") from exc
    async with kit.db.transaction() as session:
        row = (await session.execute(select(customers).where(customers.c.id == customer_id))).first()
        if row is None:
            raise NotFound(f"customer {customer_id} not found")
        if not _sees_all(by):
            mine = await session.scalar(
                select(deliveries.c.id)
                .where(deliveries.c.customer_id == customer_id, deliveries.c.consultant_no == by.employee_no)
                .limit(1)
            )
            if mine is None:
                raise Forbidden("a sales consultant sees only their own customers")
    return dict(row._mapping)


async def by_mobile_prefix(kit: Kit, prefix: str, *, limit: int, by: Principal) -> list[dict[str, Any]]:
    query = select(customers).where(customers.c.mobile.startswith(prefix, autoescape=True)).order_by(customers.c.mobile)
    if not _sees_all(by):
        query = query.where(
            customers.c.id.in_(select(deliveries.c.customer_id).where(deliveries.c.consultant_no == by.employee_no))
        )
    async with kit.db.transaction() as session:
        rows = (await session.execute(query.limit(limit))).all()
    return [dict(r._mapping) for r in rows]
