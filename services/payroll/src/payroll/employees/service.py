from typing import Any

from fours_contracts import EmployeeHired
from servicekit import outbox
from servicekit.errors import Conflict, NotFound
from servicekit.kit import Kit
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from payroll.employees.tables import employees


async def hire(kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                insert(employees).values(**facts, created_by=by).on_conflict_do_nothing().returning(*employees.c)
            )
        ).first()
        if row is None:
            raise Conflict(f"employee {facts['employee_no']} already exists", code="employee-exists")
        await outbox.publish(
            session,
            EmployeeHired(
                employee_no=row.employee_no,
                name=row.name,
                role=row.role,
                team=row.team,
                hired_on=row.hired_on,
            ),
        )
    return dict(row._mapping)


async def get(kit: Kit, employee_no: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (await session.execute(select(employees).where(employees.c.employee_no == employee_no))).first()
    if row is None:
        raise NotFound(f"employee {employee_no} not found")
    return dict(row._mapping)
