from datetime import date
from typing import Any

from servicekit.errors import Unprocessable, field_error
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from leads.staff.tables import staff


async def active_member(session: AsyncSession, employee_no: str, *, field: str, on: date) -> Any:
    """The staff member, or a 422 naming ``field`` when leads does not know them or they had left."""
    row = (await session.execute(select(staff).where(staff.c.employee_no == employee_no))).first()
    if row is None:
        raise Unprocessable(
            f"unknown employee {employee_no}",
            errors=[field_error(field, "no such employee is known to leads")],
        )
    if row.left_on is not None and row.left_on < on:
        raise Unprocessable(
            f"employee {employee_no} left on {row.left_on}", errors=[field_error(field, "employee has left")]
        )
    return row
