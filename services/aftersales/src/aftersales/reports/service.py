"""The parts report and the workshop's numbers: a read model over the parts department's ledger and
demands, the repair orders and their lines, the counter sales, the follow-up calls and the
appointments (it reads their tables; nothing imports it); targets and claims through their services."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from servicekit.calendar import midnight, month_span
from servicekit.kit import Kit
from sqlalchemy import and_, func, select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.appointments.tables import appointments
from aftersales.follow_ups.tables import follow_ups
from aftersales.parts.tables import part_demands, part_movements, parts
from aftersales.parts_sales.tables import parts_sale_lines, parts_sales
from aftersales.repair_orders.tables import repair_order_lines, repair_orders
from aftersales.reports import rules
from aftersales.warranty_claims import service as warranty_claims
from aftersales.workshop_targets import service as workshop_targets

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


async def _month_end_values(session: AsyncConnection, ends: list[datetime]) -> list[Decimal]:
    rows = await session.execute(MONTH_END_VALUES, {"ends": ends, "last": max(ends)})
    return [Decimal(r.value).quantize(rules.CENT) for r in rows]


async def _shelf(session: AsyncConnection, at: datetime) -> dict[str, tuple[Decimal, Decimal]]:
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


async def _last_out(session: AsyncConnection, part_nos: list[str], before: datetime) -> dict[str, datetime]:
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


async def _sales(session: AsyncConnection, start: datetime, end: datetime) -> list[dict[str, Any]]:
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


async def _bottles(session: AsyncConnection, start: datetime, end: datetime) -> list[dict[str, Any]]:
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


# KPI-1..4: the workshop's month and its morning meeting.


async def aftersales_report(kit: Kit, month: str, *, today: date) -> dict[str, Any]:
    """KPI-1..3: per advisor the cars received (and a day's average), output by kind and by labour /
    parts / products, cost at the ledger's average and gross margin, bottles; the store against the
    year's targets month by month and year to date; CSI and the ten-item survey; the claims' rates."""
    first, following = month_span(month)
    start, end = midnight(first), midnight(following)
    year_start = midnight(date(first.year, 1, 1))
    local_month = func.date_trunc("month", func.timezone("Asia/Shanghai", repair_orders.c.handed_over_at))
    async with kit.db.transaction() as session:
        received = dict(
            (
                await session.execute(
                    select(repair_orders.c.advisor_no, func.count())
                    .where(repair_orders.c.opened_at >= start, repair_orders.c.opened_at < end)
                    .group_by(repair_orders.c.advisor_no)
                )
            ).all()
        )
        handed = (
            await session.execute(
                select(
                    repair_orders.c.advisor_no,
                    repair_orders.c.type,
                    repair_order_lines.c.kind,
                    func.sum(repair_order_lines.c.amount).label("amount"),
                    func.sum(repair_order_lines.c.quantity * func.coalesce(repair_order_lines.c.unit_cost, 0)).label(
                        "cost"
                    ),
                    func.sum(repair_order_lines.c.quantity).label("quantity"),
                )
                .join(repair_orders, repair_orders.c.id == repair_order_lines.c.repair_order_id)
                .where(repair_orders.c.handed_over_at >= start, repair_orders.c.handed_over_at < end)
                .group_by(repair_orders.c.advisor_no, repair_orders.c.type, repair_order_lines.c.kind)
            )
        ).all()
        months = (
            await session.execute(
                select(local_month.label("month"), repair_orders.c.type, func.sum(repair_order_lines.c.amount))
                .join(repair_orders, repair_orders.c.id == repair_order_lines.c.repair_order_id)
                .where(repair_orders.c.handed_over_at >= year_start, repair_orders.c.handed_over_at < end)
                .group_by(local_month, repair_orders.c.type)
            )
        ).all()
        scores = (
            await session.scalars(
                select(follow_ups.c.scores).where(
                    follow_ups.c.kind == "service",
                    follow_ups.c.status == "done",
                    follow_ups.c.handed_over_at >= start,
                    follow_ups.c.handed_over_at < end,
                )
            )
        ).all()
        targets = await workshop_targets.of_year(session, first.year)
    advisors = _advisors(received, handed, first, following, today)
    by_month = _output_by_month(months, first, targets)
    answered = [s for s in scores if s]
    return {
        "month": month,
        "advisors": advisors,
        "output": _output_total(advisors),
        "targets": {**vars(targets), "first": targets.first, "stretch": targets.stretch},
        "months": by_month,
        "year_to_date": _year_to_date(by_month, first.month, targets),
        "csi": rules.csi([s[rules.CSI_ITEM] for s in answered if rules.CSI_ITEM in s]),
        "survey": rules.survey_score([list(s.values()) for s in answered]),
        "calls_scored": len(answered),
        "claims": await warranty_claims.report(kit, month),
    }


def _advisors(
    received: dict[str, int], handed: list[Any], first: date, following: date, today: date
) -> list[dict[str, Any]]:
    figures: dict[str, dict[str, Any]] = {}
    money = ("routine", "accident", "labour", "parts", "products", "cost")
    blank: dict[str, Any] = {**{k: Decimal(0) for k in money}, "bottles": 0}
    for row in handed:
        entry = figures.setdefault(row.advisor_no, dict(blank))
        amount = Decimal(row.amount)
        entry[rules.output_kind(row.type)] += amount
        entry[{"labour": "labour", "part": "parts", "product": "products"}[row.kind]] += amount
        entry["cost"] += Decimal(row.cost)
        if row.kind == "product":
            entry["bottles"] += int(row.quantity)
    out = []
    for advisor_no in sorted(set(received) | set(figures)):
        entry = figures.get(advisor_no, blank)
        total = entry["routine"] + entry["accident"]
        out.append(
            {
                "advisor_no": advisor_no,
                "received": received.get(advisor_no, 0),
                "daily_average": rules.daily_average(received.get(advisor_no, 0), first, following, today),
                "routine_output": entry["routine"].quantize(rules.CENT),
                "accident_output": entry["accident"].quantize(rules.CENT),
                "labour_amount": entry["labour"].quantize(rules.CENT),
                "parts_amount": entry["parts"].quantize(rules.CENT),
                "products_amount": entry["products"].quantize(rules.CENT),
                "bottles": entry["bottles"],
                **{f"output_{k}" if k == "amount" else k: v for k, v in rules.margin(total, entry["cost"]).items()},
            }
        )
    return out


def _output_total(advisors: list[dict[str, Any]]) -> dict[str, Any]:
    routine = sum((a["routine_output"] for a in advisors), Decimal("0.00"))
    accident = sum((a["accident_output"] for a in advisors), Decimal("0.00"))
    cost = sum((a["cost"] for a in advisors), Decimal("0.00"))
    return {"routine": routine, "accident": accident, **rules.margin(routine + accident, cost)}


def _output_by_month(rows: list[Any], first: date, targets: Any) -> list[dict[str, Any]]:
    """Each month of the year through ``first``'s: output routine / accident against a twelfth of
    the year's first and stretch targets."""
    found: dict[int, dict[str, Decimal]] = {}
    for month_start, repair_type, amount in rows:
        entry = found.setdefault(month_start.month, {"routine": Decimal(0), "accident": Decimal(0)})
        entry[rules.output_kind(repair_type)] += Decimal(amount)
    out = []
    for number in range(1, first.month + 1):
        entry = found.get(number, {"routine": Decimal(0), "accident": Decimal(0)})
        output = entry["routine"] + entry["accident"]
        target, stretch = rules.year_to_date_target(targets.first, 1), rules.year_to_date_target(targets.stretch, 1)
        out.append(
            {
                "month": f"{first.year}-{number:02d}",
                "routine": entry["routine"].quantize(rules.CENT),
                "accident": entry["accident"].quantize(rules.CENT),
                "output": output.quantize(rules.CENT),
                "target": target,
                "stretch_target": stretch,
                "completion": rules.completion(output, target),
                "stretch_completion": rules.completion(output, stretch),
            }
        )
    return out


def _year_to_date(by_month: list[dict[str, Any]], months: int, targets: Any) -> dict[str, Any]:
    routine = sum((m["routine"] for m in by_month), Decimal("0.00"))
    accident = sum((m["accident"] for m in by_month), Decimal("0.00"))
    output = routine + accident
    plan = {
        "target": rules.year_to_date_target(targets.first, months),
        "routine_target": rules.year_to_date_target(targets.routine, months),
        "accident_target": rules.year_to_date_target(targets.accident, months),
        "stretch_target": rules.year_to_date_target(targets.stretch, months),
    }
    return {
        "routine": routine,
        "accident": accident,
        "output": output,
        **plan,
        "completion": rules.completion(output, plan["target"]),
        "routine_completion": rules.completion(routine, plan["routine_target"]),
        "accident_completion": rules.completion(accident, plan["accident_target"]),
        "stretch_completion": rules.completion(output, plan["stretch_target"]),
    }


OPEN_STATES = ("open", "in_progress", "quality_check", "ready")


async def daily(kit: Kit, day: date) -> dict[str, Any]:
    """KPI-4, the morning meeting of ``day``: the day before's intake by advisor and type, the
    orders received by then that are in the workshop now, by state and age, those of them waiting for
    parts, the day's appointments."""
    yesterday = day - timedelta(days=1)
    opened_on = func.date(func.timezone("Asia/Shanghai", repair_orders.c.opened_at))
    async with kit.db.transaction() as session:
        intake = (
            await session.execute(
                select(repair_orders.c.advisor_no, repair_orders.c.type, func.count())
                .where(repair_orders.c.opened_at >= midnight(yesterday), repair_orders.c.opened_at < midnight(day))
                .group_by(repair_orders.c.advisor_no, repair_orders.c.type)
                .order_by(repair_orders.c.advisor_no, repair_orders.c.type)
            )
        ).all()
        in_workshop = (
            await session.execute(
                select(repair_orders.c.state, opened_on.label("opened_on"), func.count())
                .where(
                    repair_orders.c.state.in_(OPEN_STATES),
                    repair_orders.c.opened_at < midnight(day + timedelta(days=1)),
                )
                .group_by(repair_orders.c.state, opened_on)
            )
        ).all()
        waiting = (
            await session.execute(
                select(
                    repair_orders.c.id,
                    repair_orders.c.vin,
                    repair_orders.c.advisor_no,
                    repair_orders.c.opened_at,
                    func.array_agg(func.distinct(part_demands.c.part_no)).label("part_nos"),
                )
                .join(
                    part_demands,
                    and_(part_demands.c.source_kind == "repair_order", part_demands.c.source_id == repair_orders.c.id),
                )
                .where(
                    part_demands.c.state == "waiting_parts",
                    repair_orders.c.state.in_(OPEN_STATES),
                    repair_orders.c.opened_at < midnight(day + timedelta(days=1)),
                )
                .group_by(repair_orders.c.id)
                .order_by(repair_orders.c.opened_at)
            )
        ).all()
        booked = (
            await session.execute(
                select(appointments)
                .where(
                    appointments.c.starts_at >= midnight(day),
                    appointments.c.starts_at < midnight(day + timedelta(days=1)),
                )
                .order_by(appointments.c.starts_at, appointments.c.id)
            )
        ).all()
    ages: dict[tuple[str, str], int] = {}
    for state, opened, count in in_workshop:
        key = (state, rules.age_bucket(opened, day))
        ages[key] = ages.get(key, 0) + count
    return {
        "day": day,
        "intake": [{"advisor_no": a, "type": t, "cars": n} for a, t, n in intake],
        "intake_total": sum(n for *_, n in intake),
        "in_workshop": [
            {"state": state, "age": age, "orders": ages[(state, age)]}
            for state in OPEN_STATES
            for age, _ in rules.AGE_BUCKETS
            if (state, age) in ages
        ],
        "waiting_parts": [
            {
                "repair_order_id": r.id,
                "vin": r.vin,
                "advisor_no": r.advisor_no,
                "opened_at": r.opened_at,
                "part_nos": sorted(r.part_nos),
            }
            for r in waiting
        ],
        "appointments": [
            {
                "id": a.id,
                "starts_at": a.starts_at,
                "vin": a.vin,
                "advisor_no": a.advisor_no,
                "service_type": a.service_type,
                "status": a.status,
            }
            for a in booked
        ],
    }
