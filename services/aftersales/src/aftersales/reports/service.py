"""The parts report: a read model over the parts department's ledger and demands, the repair orders'
lines and the counter sales (it reads their tables; nothing imports it)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from servicekit.calendar import midnight, month_span
from servicekit.kit import Kit
from sqlalchemy import and_, func, select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.parts.tables import part_demands, part_movements, parts
from aftersales.parts_sales.tables import parts_sale_lines, parts_sales
from aftersales.repair_orders.tables import repair_order_lines, repair_orders
from aftersales.reports import rules

LEAVING = ("issue", "counter_sale")
aged_days = rules.AGED_DAYS
"""Set from ``AFTERSALES_AGED_STOCK_DAYS`` at start-up (``main``)."""


async def parts_report(kit: Kit, month: str) -> dict[str, Any]:
    first, following = month_span(month)
    start, end = midnight(first), midnight(following)
    async with kit.db.transaction() as session:
        asked, served = (
            await session.execute(
                select(func.count(), func.count().filter(part_demands.c.served_at_once)).where(
                    part_demands.c.source_kind == "repair_order",
                    part_demands.c.created_at >= start,
                    part_demands.c.created_at < end,
                )
            )
        ).one()
        ends = rules.month_ends(first)
        values = await _month_end_values(session, [midnight(e) for e in ends])
        issued_cost = await session.scalar(
            select(func.coalesce(func.sum(part_movements.c.quantity * part_movements.c.unit_cost), 0)).where(
                part_movements.c.kind.in_(LEAVING),
                part_movements.c.at >= midnight(_month_before(ends[0])),
                part_movements.c.at < end,
            )
        )
        shelf = await _shelf(session, end)
        catalogue = {r.part_no: r for r in await session.execute(select(parts).where(parts.c.part_no.in_(list(shelf))))}
        last_out = await _last_out(session, list(shelf), end)
        over_max, aged = [], []
        for part_no, (on_hand, value) in sorted(shelf.items()):
            part = catalogue[part_no]
            if part.max_qty > 0 and on_hand > part.max_qty:
                over_max.append({"part_no": part_no, "name": part.name, "on_hand": on_hand, "max_qty": part.max_qty})
            if rules.aged(last_out.get(part_no), on_hand, as_of=end, days=aged_days):
                aged.append(
                    {
                        "part_no": part_no,
                        "name": part.name,
                        "on_hand": on_hand,
                        "stock_value": value,
                        "last_out_at": last_out.get(part_no),
                    }
                )
        sales = await _sales(session, start, end)
        bottles = await _bottles(session, start, end)
    return {
        "month": month,
        "fill_rate": rules.fill_rate(served, asked),
        "lines_asked": asked,
        "lines_served_at_once": served,
        "turnover": rules.turnover(Decimal(issued_cost), values),
        "issued_cost_12_months": Decimal(issued_cost).quantize(rules.CENT),
        "stock_value": values[-1].quantize(rules.CENT),
        "over_max": over_max,
        "aged_days": aged_days,
        "aged": aged,
        "sales": sales,
        "bottles_by_advisor": bottles,
    }


def _month_before(day: date) -> date:
    """The first day of the month before ``day`` (itself a first of month)."""
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


MONTH_END_VALUES = text(
    """
    WITH ledger AS (
      SELECT at, on_hand_after * avg_cost_after AS value,
             lead(at) OVER (PARTITION BY part_no ORDER BY at, id) AS next_at
      FROM part_movements WHERE at < :last
    )
    SELECT e.end_at, coalesce(sum(l.value), 0) AS value
    FROM unnest(CAST(:ends AS timestamptz[])) AS e(end_at)
    LEFT JOIN ledger AS l ON l.at < e.end_at AND (l.next_at IS NULL OR l.next_at >= e.end_at)
    GROUP BY e.end_at ORDER BY e.end_at
    """
)
"""The shelf's value at each month end in one pass over the ledger: a movement stands at an end when
it is its part's last before that end (the part's next movement comes at or after it)."""


async def _month_end_values(session: AsyncSession, ends: list[datetime]) -> list[Decimal]:
    rows = await session.execute(MONTH_END_VALUES, {"ends": ends, "last": max(ends)})
    return [Decimal(r.value).quantize(rules.CENT) for r in rows]


async def _shelf(session: AsyncSession, at: datetime) -> dict[str, tuple[Decimal, Decimal]]:
    """Each part's (on hand, value at average cost) just before ``at``, from its last movement."""
    last = (
        select(part_movements.c.part_no, part_movements.c.on_hand_after, part_movements.c.avg_cost_after)
        .where(part_movements.c.at < at)
        .ext(distinct_on(part_movements.c.part_no))
        .order_by(part_movements.c.part_no, part_movements.c.at.desc(), part_movements.c.id.desc())
    )
    return {
        r.part_no: (r.on_hand_after, (r.on_hand_after * r.avg_cost_after).quantize(rules.CENT))
        for r in await session.execute(last)
        if r.on_hand_after > 0
    }


async def _last_out(session: AsyncSession, part_nos: list[str], before: datetime) -> dict[str, datetime]:
    """When each part last left the shelf (or, never issued, first came in) before ``before``."""
    if not part_nos:
        return {}
    out = await session.execute(
        select(part_movements.c.part_no, func.max(part_movements.c.at).label("at"))
        .where(part_movements.c.part_no.in_(part_nos), part_movements.c.kind.in_(LEAVING), part_movements.c.at < before)
        .group_by(part_movements.c.part_no)
    )
    found = {r.part_no: r.at for r in out}
    first_in = await session.execute(
        select(part_movements.c.part_no, func.min(part_movements.c.at).label("at"))
        .where(part_movements.c.part_no.in_([p for p in part_nos if p not in found]), part_movements.c.at < before)
        .group_by(part_movements.c.part_no)
    )
    return {**{r.part_no: r.at for r in first_in}, **found}


async def _sales(session: AsyncSession, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The month's sales of catalogue parts by category: on repair orders handed over, and over the
    counter; amount, cost (what they were issued at) and margin."""
    workshop = (
        select(
            parts.c.category,
            func.sum(repair_order_lines.c.amount).label("amount"),
            func.sum(repair_order_lines.c.quantity * func.coalesce(repair_order_lines.c.unit_cost, 0)).label("cost"),
        )
        .join(repair_orders, repair_orders.c.id == repair_order_lines.c.repair_order_id)
        .join(parts, parts.c.part_no == repair_order_lines.c.part_no)
        .where(repair_orders.c.handed_over_at >= start, repair_orders.c.handed_over_at < end)
        .group_by(parts.c.category)
    )
    counter = (
        select(
            parts_sale_lines.c.category,
            func.sum(parts_sale_lines.c.amount).label("amount"),
            func.sum(parts_sale_lines.c.quantity * parts_sale_lines.c.unit_cost).label("cost"),
        )
        .join(parts_sales, parts_sales.c.id == parts_sale_lines.c.sale_id)
        .where(parts_sales.c.sold_at >= start, parts_sales.c.sold_at < end)
        .group_by(parts_sale_lines.c.category)
    )
    figures: dict[str, dict[str, Decimal]] = {}
    for channel, query in (("workshop", workshop), ("counter", counter)):
        for row in await session.execute(query):
            entry = figures.setdefault(row.category, {})
            entry[f"{channel}_amount"] = Decimal(row.amount)
            entry[f"{channel}_cost"] = Decimal(row.cost)
    out = []
    for category in ("part", "maintenance_product", "accessory"):
        entry = figures.get(category, {})
        amount = entry.get("workshop_amount", Decimal(0)) + entry.get("counter_amount", Decimal(0))
        cost = entry.get("workshop_cost", Decimal(0)) + entry.get("counter_cost", Decimal(0))
        out.append(
            {
                "category": category,
                "workshop_amount": entry.get("workshop_amount", Decimal(0)).quantize(rules.CENT),
                "counter_amount": entry.get("counter_amount", Decimal(0)).quantize(rules.CENT),
                **rules.margin(amount, cost),
            }
        )
    return out


async def _bottles(session: AsyncSession, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Maintenance products (bottles) on the repair orders each advisor handed over in the month (PAY-10)."""
    rows = await session.execute(
        select(repair_orders.c.advisor_no, func.sum(repair_order_lines.c.quantity).label("bottles"))
        .join(repair_orders, repair_orders.c.id == repair_order_lines.c.repair_order_id)
        .where(
            and_(
                repair_order_lines.c.kind == "product",
                repair_orders.c.handed_over_at >= start,
                repair_orders.c.handed_over_at < end,
            )
        )
        .group_by(repair_orders.c.advisor_no)
        .order_by(repair_orders.c.advisor_no)
    )
    return [{"advisor_no": r.advisor_no, "bottles": int(r.bottles)} for r in rows]
