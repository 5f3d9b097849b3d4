"""Read copy of the staff payroll owns, for every service that must know who an employee is
(a delivery's consultant, a repair order's advisor): learnt from the employee events."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from fours_contracts import CloudEvent, DomainEvent, EmployeeHired, EmployeeUpdated
from sqlalchemy import ColumnElement, bindparam, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from servicekit.consumer import Handler
from servicekit.errors import Unprocessable, field_error
from servicekit.tables import staff_directory


async def on_employee(session: AsyncConnection, event: EmployeeHired | EmployeeUpdated, envelope: CloudEvent) -> None:
    facts = event.model_dump(include={"employee_no", "name", "role", "team", "hired_on", "left_on"})
    stmt = insert(staff_directory).values(**facts, event_time=envelope.time)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[staff_directory.c.employee_no],
            set_={**{k: stmt.excluded[k] for k in facts}, "event_time": envelope.time},
            where=staff_directory.c.event_time <= envelope.time,
        )
    )


HANDLERS: dict[type[DomainEvent], Handler] = {EmployeeHired: on_employee, EmployeeUpdated: on_employee}


_MEMBER = select(staff_directory).where(staff_directory.c.employee_no == bindparam("employee_no"))


async def active_member(
    session: AsyncConnection, employee_no: str, *, field: str, on: date, roles: set[str] | None = None
) -> Any:
    """The staff member, or a 422 naming ``field``: unknown here (yet), left before ``on``, or not
    in one of ``roles``."""
    row = (await session.execute(_MEMBER, {"employee_no": employee_no})).first()
    if row is None:
        raise Unprocessable(f"unknown employee {employee_no}", errors=[field_error(field, "no such employee is known")])
    if row.left_on is not None and row.left_on < on:
        raise Unprocessable(
            f"employee {employee_no} left on {row.left_on}", errors=[field_error(field, "employee has left")]
        )
    if roles is not None and row.role not in roles:
        raise Unprocessable(
            f"employee {employee_no} is a {row.role}",
            errors=[field_error(field, f"must be one of: {', '.join(sorted(roles))}")],
        )
    return row


async def least_busy(
    session: AsyncConnection,
    roles: Iterable[str],
    open_work: Callable[[ColumnElement[Any]], ColumnElement[Any]],
    *,
    on: date,
) -> str | None:
    """Who of the staff in ``roles`` still employed ``on`` has the least open work, by
    ``open_work(employee_no)`` (a correlated count of their open records); ties by employee number;
    none when nobody holds the role. New work is handed out this way (renewals, loan applications)."""
    employee_no: str | None = await session.scalar(
        select(staff_directory.c.employee_no)
        .where(
            staff_directory.c.role.in_(list(roles)),
            or_(staff_directory.c.left_on.is_(None), staff_directory.c.left_on >= on),
        )
        .order_by(open_work(staff_directory.c.employee_no), staff_directory.c.employee_no)
        .limit(1)
    )
    return employee_no
