"""Counter sales (柜台销售): parts sold over the counter, to walk-in customers or other garages."""

import uuid
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fours_contracts import PartsSold
from servicekit import idempotency, outbox
from servicekit.db import row_or_404, rows_by
from servicekit.kit import Kit
from servicekit.pagination import fetch_views
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.parts import service as parts
from aftersales.parts_sales.tables import parts_sale_lines, parts_sales

SOURCE = "parts_sale"
CENT = Decimal("0.01")


async def sell(kit: Kit, facts: dict[str, Any], *, by: str, idempotency_key: str | None) -> dict[str, Any]:
    """Each line leaves the shelf at its average cost, at the catalogue price unless another is given;
    the sale is whole or not at all (one line short of stock refuses the sale); *parts sold* tells
    payroll the month's counter sales (PAY-10)."""
    lines = facts.pop("lines")
    async with kit.db.transaction() as session:
        if idempotency_key:
            stored = await idempotency.claim(session, SOURCE, idempotency_key, {**facts, "lines": lines})
            if stored is not None:
                return dict(stored[1])
        sale_id = str(uuid.uuid4())
        sold_at = facts.pop("sold_at") or datetime.now(UTC)
        await session.execute(parts_sales.insert().values(id=sale_id, sold_by=by, sold_at=sold_at, **facts))
        for i, line in enumerate(sorted(lines, key=lambda line: line["part_no"])):  # one lock order
            part = await parts.part(session, line["part_no"], field=f"lines.{i}.part_no")
            line_id = str(uuid.uuid4())
            cost = await parts.sell(session, part.part_no, line["qty"], source=(SOURCE, sale_id, line_id), by=by)
            price = part.price if line["unit_price"] is None else line["unit_price"]
            await session.execute(
                parts_sale_lines.insert().values(
                    id=line_id,
                    sale_id=sale_id,
                    part_no=part.part_no,
                    category=part.category,
                    quantity=line["qty"],
                    unit_price=price,
                    unit_cost=cost,
                    amount=(line["qty"] * price).quantize(CENT, rounding=ROUND_HALF_UP),
                )
            )
        body = await _view(session, sale_id)
        by_category = {line["category"]: Decimal(0) for line in body["lines"]}
        for line in body["lines"]:
            by_category[line["category"]] += line["amount"]
        await outbox.publish(
            session,
            PartsSold(
                sale_id=sale_id,
                parts_amount=by_category.get("part", Decimal(0)) + by_category.get("accessory", Decimal(0)),
                products_amount=by_category.get("maintenance_product", Decimal(0)),
                cost=body["cost"],
                sold_at=body["sold_at"],
            ),
            source=kit.source,
        )
        if idempotency_key:
            await idempotency.remember(session, SOURCE, idempotency_key, 201, body)
        return body


async def search(
    kit: Kit, *, since: datetime | None, until: datetime | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Counter sales, newest first, sold in ``[since, until)`` when given."""
    order = [parts_sales.c.sold_at, parts_sales.c.id]
    query = select(parts_sales.c.id, *order[:1])
    if since is not None:
        query = query.where(parts_sales.c.sold_at >= since)
    if until is not None:
        query = query.where(parts_sales.c.sold_at < until)
    async with kit.db.transaction() as session:
        return await fetch_views(session, query, order, cursor, limit, _views, descending=True)


async def get(kit: Kit, sale_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await row_or_404(session, parts_sales.c.id, sale_id, "parts sale")
        return await _view(session, sale_id)


async def _view(session: AsyncConnection, sale_id: str) -> dict[str, Any]:
    return (await _views(session, [sale_id]))[0]


async def _views(session: AsyncConnection, sale_ids: list[str]) -> list[dict[str, Any]]:
    """The sales of ``sale_ids``, in that order, each with its lines and money: two queries for a
    whole page."""
    sales = await rows_by(session, parts_sales.c.id, sale_ids)
    lines = await rows_by(session, parts_sale_lines.c.sale_id, sale_ids, order_by=parts_sale_lines.c.part_no)
    return [_shape(sales[sale_id][0], lines[sale_id]) for sale_id in sale_ids]


def _shape(sale: Any, lines: list[Any]) -> dict[str, Any]:
    amount = sum((line.amount for line in lines), Decimal(0))
    cost = sum((line.quantity * line.unit_cost for line in lines), Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    return {
        **sale._mapping,
        "lines": [{**line._mapping, "qty": line.quantity} for line in lines],
        "amount": amount,
        "cost": cost,
        "margin": amount - cost,
    }
