from typing import Any

from fours_contracts import VehicleDelivered
from servicekit.errors import NotFound
from servicekit.kit import Kit
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

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


async def get(kit: Kit, vin: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (await session.execute(select(vehicles).where(vehicles.c.vin == vin.strip().upper()))).first()
    if row is None:
        raise NotFound(f"vehicle {vin} not found")
    return dict(row._mapping)
