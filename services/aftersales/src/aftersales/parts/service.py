"""The parts department's stock: the catalogue, the movements ledger, and the demands of repair orders.

Every change of a part's stock locks the part's row, checks the movement against PARTS-2 (``rules``),
writes the new figures and the movement in the caller's transaction: the stock figure and the ledger
never disagree, and two advisors asking for the last unit are served one after the other.

Other features call the functions below with their own session: repair orders ``ask`` for parts
(reserved now, or waiting), ``issue`` them at handover and ``drop`` them with a line; purchasing
``receive``s and keeps ``on_order``; counter sales ``sell``; stock counts ``adjust``."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from servicekit.db import row_or_404
from servicekit.errors import Conflict, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.parts import rules
from aftersales.parts.tables import part_demands, part_movements, parts

CATALOGUE = ("name", "category", "unit", "price", "cost", "min_qty", "max_qty", "bin")


async def put(kit: Kit, part_no: str, facts: dict[str, Any], *, by: str) -> tuple[dict[str, Any], bool]:
    """Create or change a catalogue entry (not its stock); (the part, whether it is new)."""
    if facts["max_qty"] < facts["min_qty"]:
        raise Unprocessable("max_qty is below min_qty", errors=[field_error("max_qty", "at least min_qty")])
    for field in ("min_qty", "max_qty"):
        if facts["unit"] in rules.WHOLE_UNITS and facts[field] != facts[field].to_integral_value():
            raise Unprocessable(f"{field} is whole {facts['unit']}s", errors=[field_error(field, "a whole number")])
    async with kit.db.transaction() as session:
        current = (await session.execute(select(parts).where(parts.c.part_no == part_no).with_for_update())).first()
        if current is not None and current.unit != facts["unit"] and current.on_hand > 0:
            raise Conflict(
                f"part {part_no} has {current.on_hand} {current.unit} on hand: empty it before changing its unit",
                code="unit-in-use",
            )
        row = (
            await session.execute(
                pg_insert(parts)
                .values(part_no=part_no, created_by=by, **facts)
                .on_conflict_do_update(
                    index_elements=[parts.c.part_no],
                    set_={**facts, "version": parts.c.version + 1, "updated_at": func.now()},
                )
                .returning(parts.c.part_no)
            )
        ).one()
        return await _view(session, row.part_no), current is None


async def get(kit: Kit, part_no: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await row_or_404(session, parts.c.part_no, part_no, "part")
        return await _view(session, part_no)


async def search(
    kit: Kit, *, q: str | None, category: str | None, below_min: bool, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """By a part of the number or the name (trigram index), a category, or what is below its minimum."""
    query = select(parts)
    if q:
        query = query.where(parts.c.name.contains(q, autoescape=True) | parts.c.part_no.startswith(q, autoescape=True))
    if category:
        query = query.where(parts.c.category == category)
    if below_min:
        query = query.where(parts.c.on_hand - parts.c.reserved + parts.c.on_order < parts.c.min_qty)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, [parts.c.part_no], cursor, limit)
        waiting = await _waiting(session, [r.part_no for r in page])
    return [_figures(r, waiting.get(r.part_no, Decimal(0))) for r in page], next_cursor


async def movements(
    kit: Kit, part_no: str, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The part's ledger, newest first."""
    order = [part_movements.c.at, part_movements.c.id]
    async with kit.db.transaction() as session:
        await row_or_404(session, parts.c.part_no, part_no, "part")
        query = select(part_movements).where(part_movements.c.part_no == part_no)
        page, next_cursor = await fetch_page(session, query, order, cursor, limit, descending=True)
    return [dict(r._mapping) for r in page], next_cursor


async def reorder_suggestions(kit: Kit) -> list[dict[str, Any]]:
    """PARTS-4: what the planner should order, and why."""
    async with kit.db.transaction() as session:
        waiting = await _waiting(session, None)
        query = select(parts).where(
            (parts.c.on_hand - parts.c.reserved + parts.c.on_order < parts.c.min_qty)
            | parts.c.part_no.in_(list(waiting))
        )
        rows = (await session.execute(query.order_by(parts.c.part_no))).all()
    out = []
    for row in rows:
        waits = waiting.get(row.part_no, Decimal(0))
        quantity = rules.reorder_quantity(
            _stock(row), on_order=row.on_order, min_qty=row.min_qty, max_qty=row.max_qty, waiting=waits
        )
        if quantity > 0:
            out.append(
                {
                    **_figures(row, waits),
                    "suggested_qty": quantity.quantize(rules.CENT),
                    "reason": "waiting_repair_orders" if waits > 0 else "below_min",
                }
            )
    return out


# --- used by other features, in their transaction ---------------------------------------------------


def check_one_line_per_part(lines: list[dict[str, Any]], *, what: str) -> None:
    """A purchase order or a count names each part on one line: 422 on ``lines`` naming the others."""
    seen = [line["part_no"] for line in lines]
    twice = sorted({no for no in seen if seen.count(no) > 1})
    if twice:
        raise Unprocessable(
            f"a part is {what} on one line: {', '.join(twice)}", errors=[field_error("lines", "one line per part")]
        )


async def part(session: AsyncConnection, part_no: str, *, field: str) -> Any:
    """The catalogue entry a request names, or 422 on ``field``."""
    row = (await session.execute(select(parts).where(parts.c.part_no == part_no))).first()
    if row is None:
        raise Unprocessable(f"unknown part {part_no}", errors=[field_error(field, "no such part in the catalogue")])
    return row


async def ask(
    session: AsyncConnection,
    part_no: str,
    quantity: Decimal,
    *,
    source_kind: str,
    source_id: str,
    line_id: str,
    require_stock: bool,
    by: str,
) -> str:
    """A repair order line asks for a part: reserved now if enough is available ("reserved"), else
    waiting for stock ("waiting_parts"), or, with ``require_stock``, 409 naming what is available."""
    row = await _locked(session, part_no)
    check_quantity(row, quantity)
    stock = _stock(row)
    state = "reserved" if quantity <= stock.available else "waiting_parts"
    if state == "waiting_parts" and require_stock:
        raise Conflict(
            f"only {stock.available} {row.unit} of {part_no} available",
            code="insufficient-stock",
            reason="insufficient_stock",
            available=str(stock.available),
        )
    await session.execute(
        part_demands.insert().values(
            id=line_id,
            part_no=part_no,
            source_kind=source_kind,
            source_id=source_id,
            quantity=quantity,
            state=state,
            served_at_once=state == "reserved",
            by=by,
        )
    )
    if state == "reserved":
        await _move(session, row, "reservation", quantity, source=(source_kind, source_id, line_id), by=by)
    return state


async def drop(session: AsyncConnection, line_id: str, *, by: str) -> None:
    """The line is gone: what it held goes back to the shelf's availability."""
    demand = (await session.execute(select(part_demands).where(part_demands.c.id == line_id))).first()
    if demand is None or demand.state not in ("reserved", "waiting_parts"):
        return
    if demand.state == "reserved":
        row = await _locked(session, demand.part_no)
        await _move(session, row, "release", demand.quantity, source=_source(demand), by=by)
    await _set_demand(session, line_id, "released")


async def waiting(session: AsyncConnection, source_kind: str, source_id: str) -> list[str]:
    """The part numbers a repair order still waits for."""
    rows = await session.execute(
        select(part_demands.c.part_no).where(
            part_demands.c.source_kind == source_kind,
            part_demands.c.source_id == source_id,
            part_demands.c.state == "waiting_parts",
        )
    )
    return sorted({r.part_no for r in rows})


async def issue(session: AsyncConnection, source_kind: str, source_id: str, *, by: str) -> dict[str, Decimal]:
    """Everything reserved for the source leaves the shelf; each line's unit cost (the average)."""
    demands = (
        await session.execute(
            select(part_demands)
            .where(
                part_demands.c.source_kind == source_kind,
                part_demands.c.source_id == source_id,
                part_demands.c.state == "reserved",
            )
            .order_by(part_demands.c.part_no)  # one lock order for every issuer
        )
    ).all()
    costs = {}
    for demand in demands:
        row = await _locked(session, demand.part_no)
        costs[demand.id] = await _move(session, row, "issue", demand.quantity, source=_source(demand), by=by)
        await _set_demand(session, demand.id, "issued")
    return costs


async def states(session: AsyncConnection, line_ids: list[str]) -> dict[str, str]:
    if not line_ids:
        return {}
    rows = await session.execute(select(part_demands.c.id, part_demands.c.state).where(part_demands.c.id.in_(line_ids)))
    return {r.id: r.state for r in rows}


async def receive(
    session: AsyncConnection,
    part_no: str,
    quantity: Decimal,
    unit_cost: Decimal,
    *,
    source: tuple[str, str, str],
    by: str,
) -> None:
    """Goods in: the receipt re-averages the cost, then the repair orders waiting for the part are
    served oldest first, as far as the stock goes (one that does not fit waits, and so do those after
    it: first come, first served)."""
    row = await _locked(session, part_no)
    check_quantity(row, quantity)
    await _move(session, row, "receipt", quantity, unit_cost=unit_cost, source=source, by=by)
    waits = (
        await session.execute(
            select(part_demands)
            .where(part_demands.c.part_no == part_no, part_demands.c.state == "waiting_parts")
            .order_by(part_demands.c.created_at, part_demands.c.id)
        )
    ).all()
    for demand in waits:
        row = await _locked(session, part_no)
        if demand.quantity > _stock(row).available:
            break
        await _move(session, row, "reservation", demand.quantity, source=_source(demand), by=by)
        await _set_demand(session, demand.id, "reserved")


async def on_order(session: AsyncConnection, part_no: str, change: Decimal) -> None:
    """Purchasing's open quantity of the part moved by ``change``."""
    await session.execute(update(parts).where(parts.c.part_no == part_no).values(on_order=parts.c.on_order + change))


async def sell(
    session: AsyncConnection, part_no: str, quantity: Decimal, *, source: tuple[str, str, str], by: str
) -> Decimal:
    """A counter sale from what is available; the unit cost it left at."""
    row = await _locked(session, part_no)
    check_quantity(row, quantity)
    return await _move(session, row, "counter_sale", quantity, source=source, by=by)


async def adjust(
    session: AsyncConnection, part_no: str, change: Decimal, *, source: tuple[str, str, str], note: str | None, by: str
) -> Decimal:
    """A count's variance booked: ``change`` signed; the unit cost it was valued at."""
    row = await _locked(session, part_no)
    if change != 0:
        check_quantity(row, abs(change))
    return await _move(session, row, "adjustment", change, source=source, note=note, by=by)


async def stock_of(session: AsyncConnection, part_nos: list[str]) -> dict[str, Any]:
    """The parts' rows (with stock figures), by number."""
    rows = await session.execute(select(parts).where(parts.c.part_no.in_(part_nos)))
    return {r.part_no: r for r in rows}


# --- inside -----------------------------------------------------------------------------------------


async def _locked(session: AsyncConnection, part_no: str) -> Any:
    row = (await session.execute(select(parts).where(parts.c.part_no == part_no).with_for_update())).first()
    if row is None:
        raise NotFound(f"part {part_no} not found")
    return row


def check_quantity(row: Any, quantity: Decimal, *, field: str = "quantity") -> None:
    """PARTS-1 for the part ``row``: 422 on ``field`` when the quantity does not fit its unit."""
    try:
        rules.check_quantity(row.unit, quantity)
    except ValueError as exc:
        raise Unprocessable(f"{row.part_no}: {exc}", errors=[field_error(field, str(exc))]) from exc


def _stock(row: Any) -> rules.Stock:
    return rules.Stock(row.on_hand, row.reserved, row.avg_cost)


def _source(demand: Any) -> tuple[str, str, str]:
    return demand.source_kind, demand.source_id, demand.id


async def _move(
    session: AsyncConnection,
    row: Any,
    kind: str,
    quantity: Decimal,
    *,
    source: tuple[str, str | None, str | None],
    by: str,
    unit_cost: Decimal | None = None,
    note: str | None = None,
) -> Decimal:
    try:
        after, cost = rules.apply(_stock(row), kind, quantity, unit_cost)
    except rules.StockRefused as exc:
        raise Conflict(
            f"{row.part_no}: {exc}",
            code="insufficient-stock",
            reason="insufficient_stock",
            available=str(exc.available),
        ) from exc
    now = datetime.now(UTC)
    await session.execute(
        update(parts)
        .where(parts.c.part_no == row.part_no)
        .values(on_hand=after.on_hand, reserved=after.reserved, avg_cost=after.avg_cost, last_movement_at=now)
    )
    source_kind, source_id, line_id = source
    await session.execute(
        part_movements.insert().values(
            id=str(uuid.uuid4()),
            part_no=row.part_no,
            kind=kind,
            quantity=quantity,
            unit_cost=cost,
            on_hand_after=after.on_hand,
            reserved_after=after.reserved,
            avg_cost_after=after.avg_cost,
            source_kind=source_kind,
            source_id=source_id,
            source_line_id=line_id,
            note=note,
            by=by,
            at=now,
        )
    )
    return cost


async def _set_demand(session: AsyncConnection, line_id: str, state: str) -> None:
    await session.execute(
        update(part_demands).where(part_demands.c.id == line_id).values(state=state, updated_at=func.now())
    )


async def _waiting(session: AsyncConnection, part_nos: list[str] | None) -> dict[str, Decimal]:
    query = (
        select(part_demands.c.part_no, func.sum(part_demands.c.quantity).label("waiting"))
        .where(part_demands.c.state == "waiting_parts")
        .group_by(part_demands.c.part_no)
    )
    if part_nos is not None:
        query = query.where(part_demands.c.part_no.in_(part_nos))
    return {r.part_no: r.waiting for r in await session.execute(query)}


def _figures(row: Any, waiting: Decimal) -> dict[str, Any]:
    stock = _stock(row)
    return {
        **{key: row._mapping[key] for key in ("part_no", *CATALOGUE, "on_hand", "reserved", "on_order", "avg_cost")},
        "available": stock.available,
        "waiting": waiting.quantize(rules.CENT),
        "stock_value": stock.value,
        "last_movement_at": row.last_movement_at,
        "version": row.version,
    }


async def _view(session: AsyncConnection, part_no: str) -> dict[str, Any]:
    row = (await session.execute(select(parts).where(parts.c.part_no == part_no))).one()
    return _figures(row, (await _waiting(session, [part_no])).get(part_no, Decimal(0)))
