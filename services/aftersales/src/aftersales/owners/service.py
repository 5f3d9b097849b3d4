"""Everything aftersales knows about one customer's cars, for the gateway's customer 360."""

from typing import Any

from servicekit.auth import Principal
from servicekit.kit import Kit
from sqlalchemy import select

from aftersales import scope
from aftersales.complaints.tables import complaints
from aftersales.follow_ups.tables import follow_ups
from aftersales.repair_orders.tables import repair_orders
from aftersales.vehicles.tables import vehicles


async def summary(kit: Kit, customer_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        cars = (await session.execute(select(vehicles).where(vehicles.c.owner_customer_id == customer_id))).all()
        vins = [c.vin for c in cars]
        orders_query = (
            select(repair_orders).where(repair_orders.c.vin.in_(vins)).order_by(repair_orders.c.opened_at.desc())
        )
        visible = scope.advised_by_visible(by, repair_orders.c.advisor_no)
        if visible is not None:
            orders_query = orders_query.where(visible)
        orders = (await session.execute(orders_query)).all()
        calls = (
            await session.execute(
                select(follow_ups).where(follow_ups.c.vin.in_(vins)).order_by(follow_ups.c.due_date.desc())
            )
        ).all()
        filed = (
            await session.execute(
                select(complaints).where(complaints.c.vin.in_(vins)).order_by(complaints.c.created_at.desc())
            )
        ).all()
    return {
        "customer_id": customer_id,
        "vehicles": [dict(c._mapping) for c in cars],
        "repair_orders": [dict(o._mapping) for o in orders],
        "follow_ups": [dict(f._mapping) for f in calls],
        "complaints": [dict(c._mapping) for c in filed],
    }
