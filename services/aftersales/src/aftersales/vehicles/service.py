from collections.abc import Iterable
from typing import Any

from fours_contracts import VehicleDelivered, VehicleRegistered
from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.vehicles.tables import vehicles

_DELIVERED = (
    "model",
    "grade",
    "owner_customer_id",
    "owner_name",
    "owner_mobile",
    "origin",
    "delivery_id",
    "consultant_no",
    "delivered_at",
    "sold_status",
)
_LEARN_DELIVERY = insert(vehicles)
_LEARN_DELIVERY = _LEARN_DELIVERY.on_conflict_do_update(
    index_elements=[vehicles.c.vin],
    set_={name: _LEARN_DELIVERY.excluded[name] for name in _DELIVERED} | {"updated_at": func.now()},
)
"""Built once (the handover's values go with each execution): a car known before, from a visit or a
registration, takes the handover's values."""


async def learn_delivery(session: AsyncConnection, event: VehicleDelivered) -> None:
    """AS-1: the local copy of a car sold by the store, with its owner."""
    await session.execute(_LEARN_DELIVERY, _sold(event) | {"grade": event.grade, "delivered_at": event.delivered_at})


_KNOWN_FROM_REGISTRATION = insert(vehicles).on_conflict_do_nothing()


async def learn_plate(session: AsyncConnection, event: VehicleRegistered) -> None:
    """REG-2: the plate the store registered for a car it sold. The registration may overtake the
    handover's own event (they come from two services): the car is then known from it, and the
    handover fills in the rest without touching the plate."""
    await session.execute(_KNOWN_FROM_REGISTRATION, _sold(event))
    await _put_plate(session, event.vin, event.plate)


def _sold(event: VehicleDelivered | VehicleRegistered) -> dict[str, Any]:
    """What a handover and a registration both say of a car the store sold, and of its owner."""
    return {
        "vin": event.vin,
        "model": event.model,
        "owner_customer_id": event.customer.customer_id,
        "owner_name": event.customer.name,
        "owner_mobile": event.customer.mobile,
        "origin": "delivery",
        "delivery_id": event.delivery_id,
        "consultant_no": event.consultant_no,
        "sold_status": "sold",
    }


async def forget_delivery(session: AsyncConnection, vin: str, delivery_id: str) -> None:
    await session.execute(
        update(vehicles)
        .where(vehicles.c.vin == vin, vehicles.c.delivery_id == delivery_id)
        .values(sold_status="sale_cancelled", updated_at=func.now())
    )


async def register_walk_in(kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    """AS-1: a car not sold by this store comes in for service."""
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                insert(vehicles)
                .values(
                    vin=facts["vin"],
                    model=facts["model"],
                    owner_name=facts["owner"]["name"],
                    owner_mobile=facts["owner"]["mobile"],
                    origin="walk_in",
                    sold_status="other_origin",
                )
                .on_conflict_do_nothing(index_elements=[vehicles.c.vin])
                .returning(*vehicles.c)
            )
        ).first()
        if row is None:
            raise Conflict(f"vehicle {facts['vin']} is already registered", code="vehicle-exists")
        if facts.get("plate"):
            row = await _put_plate(session, facts["vin"], facts["plate"])
    return dict(row._mapping)


async def _put_plate(session: AsyncConnection, vin: str, plate: str | None) -> Any:
    # the plate moved to this car (a transfer, a plate re-issued): the car that had it has none now
    if plate is not None:
        others = update(vehicles).where(vehicles.c.plate == plate, vehicles.c.vin != vin)
        await session.execute(others.values(plate=None, updated_at=func.now()))
    this = update(vehicles).where(vehicles.c.vin == vin).values(plate=plate, updated_at=func.now())
    return (await session.execute(this.returning(*vehicles.c))).first()


async def record_plate(kit: Kit, vin: str, plate: str | None) -> dict[str, Any]:
    """The plate the car carries now (None: it has none, e.g. the owner handed it in)."""
    async with kit.db.transaction() as session:
        await row_or_404(session, vehicles.c.vin, vin, "vehicle")
        row = await _put_plate(session, vin, plate)
    return dict(row._mapping)


async def by_plate(kit: Kit, plate: str) -> list[dict[str, Any]]:
    """The car carrying ``plate``, if aftersales knows one (a list: empty or one)."""
    async with kit.db.transaction() as session:
        rows = (await session.execute(select(vehicles).where(vehicles.c.plate == plate))).all()
    return [dict(r._mapping) for r in rows]


async def get(kit: Kit, vin: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, vehicles.c.vin, vin, "vehicle")
    return dict(row._mapping)


async def row(session: AsyncConnection, vin: str) -> Any | None:
    """The car, or None when aftersales does not know it."""
    return (await session.execute(select(vehicles).where(vehicles.c.vin == vin))).first()


async def sold_status(session: AsyncConnection, vin: str) -> str | None:
    return await session.scalar(select(vehicles.c.sold_status).where(vehicles.c.vin == vin))


async def in_service(session: AsyncConnection) -> list[Any]:
    """The cars on the road with an owner the store can visit: sold here, or serviced from elsewhere."""
    query = select(vehicles.c.vin, vehicles.c.owner_name, vehicles.c.owner_mobile).where(
        vehicles.c.sold_status.in_(["sold", "other_origin"])
    )
    return list((await session.execute(query)).all())


async def of_customer(session: AsyncConnection, customer_id: str) -> list[Any]:
    return list((await session.execute(select(vehicles).where(vehicles.c.owner_customer_id == customer_id))).all())


async def owners(session: AsyncConnection, vins: Iterable[str]) -> dict[str, Any]:
    """Each known car of ``vins`` with its model and owner (name, mobile, customer id), for the lists
    that say whom to call about which car."""
    wanted = set(vins)
    if not wanted:
        return {}
    query = select(
        vehicles.c.vin, vehicles.c.model, vehicles.c.owner_name, vehicles.c.owner_mobile, vehicles.c.owner_customer_id
    ).where(vehicles.c.vin.in_(wanted))
    return {r.vin: r for r in (await session.execute(query)).all()}


async def delivered_at(session: AsyncConnection, vins: list[str]) -> dict[str, Any]:
    """Each known car of ``vins`` with its handover time (None for a walk-in)."""
    query = select(vehicles.c.vin, vehicles.c.delivered_at).where(vehicles.c.vin.in_(vins))
    return {r.vin: r.delivered_at for r in (await session.execute(query)).all()}


async def vins_after(session: AsyncConnection, after: str, limit: int) -> list[str]:
    query = select(vehicles.c.vin).where(vehicles.c.vin > after).order_by(vehicles.c.vin).limit(limit)
    return list((await session.execute(query)).scalars())


async def set_segments(session: AsyncConnection, segments: dict[str, str]) -> None:
    """AS-7: each car's segment as just recomputed."""
    if segments:
        await session.execute(
            update(vehicles)
            .where(vehicles.c.vin.in_(list(segments)))
            .values(segment=case(segments, value=vehicles.c.vin), segment_at=func.now())
        )


async def in_segment(session: AsyncConnection, segment: str, *, after: str | None, limit: int) -> list[Any]:
    query = select(vehicles).where(vehicles.c.segment == segment).order_by(vehicles.c.vin).limit(limit)
    if after:
        query = query.where(vehicles.c.vin > after)
    return list((await session.execute(query)).all())
