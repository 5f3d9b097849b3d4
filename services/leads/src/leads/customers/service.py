import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from leads.customers.tables import customers


async def find_or_create(session: AsyncSession, *, name: str, mobile: str, by: str) -> Any:
    """LEAD-2: a second contact with the same (normalised) mobile attaches to the existing customer."""
    await session.execute(
        insert(customers)
        .values(id=str(uuid.uuid4()), name=name, mobile=mobile, created_by=by)
        .on_conflict_do_nothing(index_elements=[customers.c.mobile])
    )
    return (await session.execute(select(customers).where(customers.c.mobile == mobile))).one()
