"""The store's working-day calendar of a year (AS-4, INS-3, LEAD-5 count working days): what an
entry must hold to be taken, and the effective calendar it makes with the library's."""

from collections.abc import Iterable
from datetime import date


def entry_problems(year: int, holidays: Iterable[date], working_days: Iterable[date]) -> list[tuple[str, str]]:
    """(field, reason) for each thing wrong with an entry: a day of another year, a day both off and worked."""
    off, worked = set(holidays), set(working_days)
    problems = [
        (name, f"{day.isoformat()} is not in {year}")
        for name, days in (("holidays", off), ("working_days", worked))
        for day in sorted(days)
        if day.year != year
    ]
    problems += [("working_days", f"{day.isoformat()} is also listed as a holiday") for day in sorted(off & worked)]
    return problems
