from typing import Any

from servicekit.errors import Conflict, NotFound
from servicekit.kit import Kit
from sqlalchemy import func, select, update

from aftersales.home_visits import rules
from aftersales.home_visits.tables import home_visits
from aftersales.vehicles import service as vehicles


async def draw(kit: Kit, month: str, share: float, *, by: str) -> list[dict[str, Any]]:
    async with kit.db.transaction() as session:
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"home-visits:{month}"))))
        if await session.scalar(select(func.count()).where(home_visits.c.month == month)):
            raise Conflict(f"the home-visit list of {month} is drawn already", code="already-drawn")
        owners = {c.vin: c for c in await vehicles.in_service(session)}
        chosen = rules.draw(list(owners), month, share)
        if chosen:
            await session.execute(
                home_visits.insert(),
                [
                    {
                        "month": month,
                        "vin": v,
                        "owner_name": owners[v].owner_name,
                        "owner_mobile": owners[v].owner_mobile,
                        "drawn_by": by,
                    }
                    for v in chosen
                ],
            )
    return await listing(kit, month)


async def listing(kit: Kit, month: str) -> list[dict[str, Any]]:
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(select(home_visits).where(home_visits.c.month == month).order_by(home_visits.c.vin))
        ).all()
    return [dict(r._mapping) for r in rows]


async def visited(kit: Kit, month: str, vin: str, notes: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                update(home_visits)
                .where(home_visits.c.month == month, home_visits.c.vin == vin)
                .values(status="visited", notes=notes, visited_at=func.now())
                .returning(*home_visits.c)
            )
        ).first()
    if row is None:
        raise NotFound(f"{vin} is not on the home-visit list of {month}")
    return dict(row._mapping)
