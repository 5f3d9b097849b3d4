"""KPI-2..3: the station's targets of a year (set by the station head or the service manager)."""

from typing import Any

from servicekit.errors import Unprocessable, field_error
from servicekit.kit import Kit
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.workshop_targets import rules
from aftersales.workshop_targets.tables import workshop_targets

FIELDS = ("routine", "accident", "stretch_routine", "stretch_accident", "csi", "survey")


async def put(kit: Kit, year: int, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    targets = rules.Targets(**{k: facts[k] for k in FIELDS})
    if problem := rules.problem(targets):
        raise Unprocessable(problem, errors=[field_error("stretch_routine", problem)])
    values = {**{k: facts[k] for k in FIELDS}, "updated_by": by}
    async with kit.db.transaction() as session:
        await session.execute(
            insert(workshop_targets)
            .values(year=year, **values)
            .on_conflict_do_update(index_elements=[workshop_targets.c.year], set_={**values, "updated_at": func.now()})
        )
        return await view(session, year)


async def get(kit: Kit, year: int) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        return await view(session, year)


async def view(session: AsyncConnection, year: int) -> dict[str, Any]:
    """The year's targets, or the seed's (``source: default``) when the store set none."""
    row = (await session.execute(select(workshop_targets).where(workshop_targets.c.year == year))).first()
    if row is None:
        return {"year": year, "source": "default", **vars(rules.SEED), "updated_by": None, "updated_at": None}
    return {**row._mapping, "source": "store"}


async def of_year(session: AsyncConnection, year: int) -> rules.Targets:
    found = await view(session, year)
    return rules.Targets(**{k: found[k] for k in FIELDS})
