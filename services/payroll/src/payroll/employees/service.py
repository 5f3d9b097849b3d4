from datetime import date
from typing import Any

from fours_contracts import EmployeeHired, EmployeeUpdated
from servicekit import outbox
from servicekit.concurrency import check_version
from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

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


async def known(session: AsyncSession, employee_no: str) -> None:
    """404 unless payroll knows the employee."""
    await row_or_404(session, employees.c.employee_no, employee_no, "employee")


async def on_staff(session: AsyncSession, first: date, last: date) -> list[Any]:
    """Everyone employed on some day between ``first`` and ``last``."""
    query = select(employees).where(
        employees.c.hired_on <= last, or_(employees.c.left_on.is_(None), employees.c.left_on >= first)
    )
    return list((await session.execute(query)).all())


async def names(session: AsyncSession) -> dict[str, str]:
    return {no: name for no, name in await session.execute(select(employees.c.employee_no, employees.c.name))}
