"""Read copy of the staff payroll owns, learnt from employee events."""

from fours_contracts import CloudEvent, EmployeeHired, EmployeeUpdated
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from leads.staff.tables import staff


async def on_employee(session: AsyncSession, event: EmployeeHired | EmployeeUpdated, _: CloudEvent) -> None:
    facts = event.model_dump(include={"employee_no", "name", "role", "team", "hired_on", "left_on"})
    stmt = insert(staff).values(**facts)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[staff.c.employee_no],
            set_={**{k: stmt.excluded[k] for k in facts}, "updated_at": func.now()},
        )
    )
