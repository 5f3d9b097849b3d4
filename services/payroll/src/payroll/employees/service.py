from datetime import UTC, date, datetime
from typing import Any

from fours_contracts import EmployeeHired, EmployeeUpdated
from servicekit import outbox
from servicekit.calendar import business_date
from servicekit.concurrency import check_version
from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

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


async def search(
    kit: Kit, *, role: str | None, team: str | None, q: str | None, state: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Employees by number; ``q`` matches a part of the name or the number; ``state`` on_staff
    (not left by today), left, or all."""
    query = select(employees)
    if role:
        query = query.where(employees.c.role == role)
    if team:
        query = query.where(employees.c.team == team)
    if q:
        query = query.where(
            employees.c.name.contains(q, autoescape=True) | employees.c.employee_no.contains(q, autoescape=True)
        )
    today = business_date(datetime.now(UTC))
    if state == "on_staff":
        query = query.where(or_(employees.c.left_on.is_(None), employees.c.left_on >= today))
    elif state == "left":
        query = query.where(employees.c.left_on < today)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, [employees.c.employee_no], cursor, limit)
    return [dict(row._mapping) for row in page], next_cursor


async def known(session: AsyncConnection, employee_no: str) -> None:
    """404 unless payroll knows the employee."""
    await row_or_404(session, employees.c.employee_no, employee_no, "employee")


async def on_staff(session: AsyncConnection, first: date, last: date) -> list[Any]:
    """Everyone employed on some day between ``first`` and ``last``."""
    query = select(employees).where(
        employees.c.hired_on <= last, or_(employees.c.left_on.is_(None), employees.c.left_on >= first)
    )
    return list((await session.execute(query)).all())


async def names(session: AsyncConnection) -> dict[str, str]:
    return {no: name for no, name in await session.execute(select(employees.c.employee_no, employees.c.name))}
