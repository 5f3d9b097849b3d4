"""Data scopes of the sales CRM (DOMAIN organisation section): a consultant or key-account specialist
sees the customers, leads and work they own; a showroom supervisor the team's (and what is not yet
assigned); the sales manager, the online specialist who hands out web leads, and the GM see all."""

from typing import Any

from servicekit.auth import Principal
from servicekit.errors import Forbidden
from servicekit.roles import Role
from servicekit.tables import staff_directory
from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

OWN = frozenset({Role.SALES_CONSULTANT, Role.KEY_ACCOUNT})
TEAM = frozenset({Role.SHOWROOM_SUPERVISOR})


def owned_by_visible(by: Principal, column: Any) -> ColumnElement[bool] | None:
    """A filter on an owner column for what ``by`` may see, or None when they see everything."""
    if by.role in OWN:
        return column == by.employee_no  # type: ignore[no-any-return]
    if by.role in TEAM:
        team = select(staff_directory.c.employee_no).where(staff_directory.c.team == by.team)
        return or_(column.in_(team), column.is_(None), column == by.employee_no)
    return None


def narrowed(query: Select[Any], by: Principal, column: Any) -> Select[Any]:
    """``query`` with only the rows ``by`` may see by their owner ``column``."""
    visible = owned_by_visible(by, column)
    return query if visible is None else query.where(visible)


async def check_visible(session: AsyncConnection, by: Principal, owner_no: str | None, what: str) -> None:
    """403 unless ``by`` may see (and change) something owned by ``owner_no``."""
    if by.role in OWN and owner_no != by.employee_no:
        raise Forbidden(f"a {by.role} sees and changes only the {what} they own")
    if by.role in TEAM and owner_no is not None and owner_no != by.employee_no:
        team = await session.scalar(select(staff_directory.c.team).where(staff_directory.c.employee_no == owner_no))
        if team is None or team != by.team:
            raise Forbidden(f"a showroom supervisor sees the {what} of their own team")
