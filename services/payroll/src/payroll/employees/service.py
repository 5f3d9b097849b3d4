from typing import Any

from fours_contracts import EmployeeHired, EmployeeUpdated
from servicekit import outbox
from servicekit.concurrency import check_version
from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from sqlalchemy import func, update
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


async def change(kit: Kit, employee_no: str, changes: dict[str, Any], *, if_match: str | None) -> dict[str, Any]:
    """Any change is published as *employee updated* with the full current facts."""
    async with kit.db.transaction() as session:
        row = await row_or_404(session, employees.c.employee_no, employee_no, "employee", lock=True)
        check_version(row.version, if_match)
        row = (
            await session.execute(
                update(employees)
                .where(employees.c.employee_no == employee_no)
                .values(**changes, version=employees.c.version + 1, updated_at=func.now())
                .returning(*employees.c)
            )
        ).one()
        await outbox.publish(
            session,
            EmployeeUpdated(
                employee_no=row.employee_no,
                name=row.name,
                role=row.role,
                team=row.team,
                hired_on=row.hired_on,
                left_on=row.left_on,
            ),
        )
    return dict(row._mapping)


async def get(kit: Kit, employee_no: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, employees.c.employee_no, employee_no, "employee")
    return dict(row._mapping)
