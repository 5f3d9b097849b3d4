"""Data scope of aftersales (DOMAIN organisation section): a service advisor sees and works the
repair orders they received; the service manager, the station head and the GM see all."""

from typing import Any

from servicekit.auth import Principal
from servicekit.errors import Forbidden
from servicekit.roles import Role
from sqlalchemy import ColumnElement

OWN = frozenset({Role.SERVICE_ADVISOR})


def advised_by_visible(by: Principal, column: Any) -> ColumnElement[bool] | None:
    """A filter on an advisor column for what ``by`` may see, or None when they see everything."""
    if by.role in OWN:
        return column == by.employee_no  # type: ignore[no-any-return]
    return None


def check_visible(by: Principal, advisor_no: str | None, what: str) -> None:
    """403 unless ``by`` may see (and change) something received by ``advisor_no``."""
    if by.role in OWN and advisor_no != by.employee_no:
        raise Forbidden(f"a {by.role} works only their own {what}")
