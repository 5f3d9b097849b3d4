from typing import Any

from fours_contracts import VehicleDelivered
from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.repair_orders.tables import repair_orders
from aftersales.vehicles.tables import vehicles


async def learn_delivery(session: AsyncSession, event: VehicleDelivered) -> None:
    """AS-1: the local copy of a car sold by the store, with its owner."""
    values = {
        "model": event.model,
        "grade": event.grade,
        "owner_customer_id": event.customer.customer_id,
        "owner_name": event.customer.name,
        "owner_mobile": event.customer.mobile,
        "origin": "delivery",
        "delivery_id": event.delivery_id,
        "consultant_no": event.consultant_no,
        "delivered_at": event.delivered_at,
        "sold_status": "sold",
    }
    stmt = insert(vehicles).values(vin=event.vin, **values)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[vehicles.c.vin], set_={**values, "updated_at": func.now()})
    )


async def forget_delivery(session: AsyncSession, vin: str, delivery_id: str) -> None:
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
    return dict(row._mapping)


async def get(kit: Kit, vin: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, vehicles.c.vin, vin, "vehicle")
    return dict(row._mapping)


async def history(kit: Kit, vin: str) -> list[dict[str, Any]]:
    """Service history with the mileage at each visit, newest first."""
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(
                    repair_orders.c.id,
                    repair_orders.c.type,
                    repair_orders.c.state,
                    repair_orders.c.mileage_km,
                    repair_orders.c.opened_at,
                    repair_orders.c.handed_over_at,
                    repair_orders.c.advisor_no,
                )
                .where(repair_orders.c.vin == vin)
                .order_by(repair_orders.c.opened_at.desc())
            )
        ).all()
    return [dict(r._mapping) for r in rows]
