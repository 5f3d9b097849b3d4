"""Everything aftersales knows about one customer's cars, for the gateway's customer 360."""

from typing import Any

from servicekit.auth import Principal
from servicekit.kit import Kit

from aftersales.complaints import service as complaints
from aftersales.follow_ups import service as follow_ups
from aftersales.repair_orders import service as repair_orders
from aftersales.vehicles import service as vehicles


async def summary(kit: Kit, customer_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        cars = await vehicles.of_customer(session, customer_id)
        vins = [c.vin for c in cars]
        orders = await repair_orders.of_vehicles(session, vins, by=by)
        calls = await follow_ups.of_vehicles(session, vins)
        filed = await complaints.of_vehicles(session, vins)
    return {
        "customer_id": customer_id,
        "vehicles": [dict(c._mapping) for c in cars],
        "repair_orders": [dict(o._mapping) for o in orders],
        "follow_ups": [dict(f._mapping) for f in calls],
        "complaints": [dict(c._mapping) for c in filed],
    }
