"""Payroll months (PAY-11, PAY-12): what arrives for a locked month lands in the next open one."""

from collections.abc import Iterable

from servicekit.calendar import next_month


def first_open_month(month: str, locked: Iterable[str]) -> str:
    """``month`` itself unless its payroll is locked; otherwise the first later month that is not."""
    closed = set(locked)
    while month in closed:
        month = next_month(month)
    return month
