from typing import Any

from servicekit.kit import Kit
from sqlalchemy import func, select

from insurance.new_cars import rules
from insurance.new_cars.tables import new_car_sales


async def penetration(kit: Kit, month: str) -> dict[str, Any]:
    insured = func.count().filter(new_car_sales.c.insurer.is_not(None))
    async with kit.db.transaction() as session:
        delivered, through_store = (
            await session.execute(
                select(func.count(), insured).where(
                    new_car_sales.c.month == month, new_car_sales.c.cancelled.is_(False)
                )
            )
        ).one()
    return {
        "month": month,
        "delivered": delivered,
        "insured_through_store": through_store,
        "penetration": rules.penetration(delivered, through_store),
    }
