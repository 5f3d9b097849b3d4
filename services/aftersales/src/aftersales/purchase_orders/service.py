import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from servicekit import idempotency
from servicekit.concurrency import check_version
from servicekit.db import row_or_404, rows_by
from servicekit.errors import Conflict, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.pagination import fetch_views
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.parts import service as parts
from aftersales.purchase_orders import rules
from aftersales.purchase_orders.tables import purchase_order_lines, purchase_orders

SOURCE = "purchase_order"


async def create(kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    """A draft; each line a catalogue part once, at the supplier's cost (the catalogue's when left out)."""
    lines = facts.pop("lines")
    parts.check_one_line_per_part(lines, what="ordered")
    async with kit.db.transaction() as session:
        order_id = str(uuid.uuid4())
        await session.execute(purchase_orders.insert().values(id=order_id, created_by=by, **facts))
        for i, line in enumerate(lines):
            part = await parts.part(session, line["part_no"], field=f"lines.{i}.part_no")
            parts.check_quantity(part, line["qty"], field=f"lines.{i}.qty")
            await session.execute(
                purchase_order_lines.insert().values(
                    id=str(uuid.uuid4()),
                    purchase_order_id=order_id,
                    part_no=part.part_no,
                    quantity=line["qty"],
                    unit_cost=part.cost if line["unit_cost"] is None else line["unit_cost"],
                )
            )
        return await _view(session, order_id)


async def get(kit: Kit, order_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await row_or_404(session, purchase_orders.c.id, order_id, "purchase order")
        return await _view(session, order_id)


async def search(
    kit: Kit, *, state: str | None, supplier: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    order = [purchase_orders.c.created_at, purchase_orders.c.id]
    query = select(purchase_orders.c.id, *order[:1])
    if state:
        query = query.where(purchase_orders.c.state == state)
    if supplier:
        query = query.where(purchase_orders.c.supplier == supplier)
    async with kit.db.transaction() as session:
        return await fetch_views(session, query, order, cursor, limit, _views, descending=True)


async def move(kit: Kit, order_id: str, to: str, *, by: str, if_match: str | None) -> dict[str, Any]:
    """Submit (its quantities go on order) or cancel (what is still open comes off order)."""
    async with kit.db.transaction() as session:
        order = await row_or_404(session, purchase_orders.c.id, order_id, "purchase order", lock=True)
        check_version(order.version, if_match)
        try:
            rules.check_move(order.state, to)
        except rules.Refused as exc:
            raise Conflict(str(exc), code="invalid-transition", allowed=exc.allowed) from exc
        lines = await _lines(session, order_id)
        if to == "submitted":
            for line in lines:
                await parts.on_order(session, line.part_no, line.quantity)
        elif order.state in rules.OPEN:
            for line in lines:
                await parts.on_order(session, line.part_no, -(line.quantity - line.received))
        extra = {"submitted_at": datetime.now(UTC)} if to == "submitted" else {}
        await _touch(session, order_id, state=to, **extra)
        return await _view(session, order_id)


async def receive(
    kit: Kit, order_id: str, lines: list[dict[str, Any]], *, by: str, idempotency_key: str | None
) -> dict[str, Any]:
    """Goods in, in part or whole: each part's receipt (re-averaging its cost and serving the repair
    orders that wait for it), the order's open quantity down, its state on. With ``Idempotency-Key``
    a repeat of the same receipt returns the order as it was received and books nothing again."""
    async with kit.db.transaction() as session:
        key_scope = f"purchase-order-receipt:{order_id}"
        if idempotency_key:
            stored = await idempotency.claim(session, key_scope, idempotency_key, lines)
            if stored is not None:
                return dict(stored[1])
        order = await row_or_404(session, purchase_orders.c.id, order_id, "purchase order", lock=True)
        ordered = {line.part_no: line for line in await _lines(session, order_id)}
        for i, line in enumerate(lines):
            found = ordered.get(line["part_no"])
            if found is None:
                raise Unprocessable(
                    f"{line['part_no']} is not on purchase order {order_id}",
                    errors=[field_error(f"lines.{i}.part_no", "not on this order")],
                )
            try:
                rules.check_receipt(
                    order.state, found.part_no, line["qty"], ordered=found.quantity, received=found.received
                )
            except rules.Refused as exc:
                raise Conflict(str(exc), code="invalid-receipt") from exc
            await parts.receive(
                session, found.part_no, line["qty"], found.unit_cost, source=(SOURCE, order_id, found.id), by=by
            )
            await parts.on_order(session, found.part_no, -line["qty"])
            await session.execute(
                update(purchase_order_lines)
                .where(purchase_order_lines.c.id == found.id)
                .values(received=purchase_order_lines.c.received + line["qty"])
            )
            ordered[found.part_no] = (await _lines(session, order_id, part_no=found.part_no))[0]
        state = rules.after_receipt([(line.quantity, line.received) for line in ordered.values()])
        await _touch(session, order_id, state=state)
        body = await _view(session, order_id)
        if idempotency_key:
            await idempotency.remember(session, key_scope, idempotency_key, 200, body)
        return body


async def _lines(session: AsyncConnection, order_id: str, *, part_no: str | None = None) -> list[Any]:
    query = select(purchase_order_lines).where(purchase_order_lines.c.purchase_order_id == order_id)
    if part_no is not None:
        query = query.where(purchase_order_lines.c.part_no == part_no)
    return list((await session.execute(query.order_by(purchase_order_lines.c.part_no))).all())


async def _touch(session: AsyncConnection, order_id: str, **values: Any) -> None:
    await session.execute(
        update(purchase_orders)
        .where(purchase_orders.c.id == order_id)
        .values(**values, version=purchase_orders.c.version + 1, updated_at=func.now())
    )


async def _view(session: AsyncConnection, order_id: str) -> dict[str, Any]:
    return (await _views(session, [order_id]))[0]


async def _views(session: AsyncConnection, order_ids: list[str]) -> list[dict[str, Any]]:
    """The orders of ``order_ids``, in that order, each with its lines: two queries for a page."""
    orders = await rows_by(session, purchase_orders.c.id, order_ids)
    lines = await rows_by(
        session, purchase_order_lines.c.purchase_order_id, order_ids, order_by=purchase_order_lines.c.part_no
    )
    return [_shape(orders[order_id][0], lines[order_id]) for order_id in order_ids]


def _shape(order: Any, lines: list[Any]) -> dict[str, Any]:
    total = sum((line.quantity * line.unit_cost for line in lines), Decimal(0))
    return {
        **order._mapping,
        "lines": [{**line._mapping, "qty": line.quantity, "open": line.quantity - line.received} for line in lines],
        "total_cost": total.quantize(Decimal("0.01")),
        "allowed_transitions": sorted(rules.MOVES[order.state]),
    }
