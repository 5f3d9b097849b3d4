from decimal import Decimal
from typing import Any

from servicekit.kit import Kit
from sqlalchemy import or_, select

from payroll.commissions import rules
from payroll.commissions.tables import car_sales


async def commissions(kit: Kit, employee_no: str, month: str) -> dict[str, Any]:
    """The month's commission lines: each car ranked by delivery time within its month, and a
    clawback line in the month a sale was cancelled. Derived from recorded events, so reading
    again gives the same result."""
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(car_sales).where(
                    car_sales.c.consultant_no == employee_no,
                    or_(car_sales.c.month == month, car_sales.c.cancel_month == month),
                )
            )
        ).all()
        months = {r.month for r in rows}
        ranked = (
            await session.execute(
                select(car_sales.c.delivery_id, car_sales.c.month)
                .where(car_sales.c.consultant_no == employee_no, car_sales.c.month.in_(months))
                .order_by(car_sales.c.month, car_sales.c.delivered_at, car_sales.c.delivery_id)
            )
        ).all()
    nth: dict[str, int] = {}
    counts: dict[str, int] = {}
    for r in ranked:
        counts[r.month] = counts.get(r.month, 0) + 1
        nth[r.delivery_id] = counts[r.month]
    items: list[dict[str, Any]] = []
    for r in sorted(rows, key=lambda r: (r.delivered_at, r.delivery_id)):
        earned = rules.unit_commission(r.grade, nth[r.delivery_id])
        if r.month == month:
            items.append(_line(r, "unit_commission", earned, r.delivered_event_id))
        if r.cancel_month == month:
            items.append(_line(r, "clawback", rules.clawback(earned), r.cancelled_event_id))
    total = sum((Decimal(i["amount"]) for i in items), Decimal("0.00"))
    return {"employee_no": employee_no, "month": month, "items": items, "total": total}


def _line(row: Any, code: str, line: rules.UnitCommission, event_id: str) -> dict[str, Any]:
    return {
        "code": code,
        "vin": row.vin,
        "delivery_id": row.delivery_id,
        "rule": line.rule,
        "amount": line.amount,
        "source_event_id": event_id,
    }
