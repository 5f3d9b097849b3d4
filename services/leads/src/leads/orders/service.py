"""Quotes and orders (LEAD-8): a quote below the floor price waits for the sales manager; an order is
placed from an accepted quote with a deposit, reserves its stock car and publishes *order placed*;
the handover takes its facts from the order."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fours_contracts import (
    CloudEvent,
    CustomerRef,
    DomainEvent,
    LoanApplied,
    LoanApproved,
    LoanDeclined,
    LoanDisbursed,
    LoanWithdrawn,
    OrderLoan,
    OrderPlaced,
)
from pydantic_core import to_jsonable_python
from servicekit import outbox
from servicekit.auth import Principal
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Forbidden, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from servicekit.roles import Role
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from leads import scope
from leads.customers import service as customers
from leads.orders import rules
from leads.orders.tables import orders, quotes
from leads.prospects import service as prospects
from leads.stock import service as stock


def _figures(facts: dict[str, Any]) -> rules.QuoteFigures:
    return rules.QuoteFigures(
        list_price=facts["list_price"],
        price=facts["price"],
        floor_price=facts["floor_price"],
        accessories_price=sum((Decimal(a["price"]) for a in facts.get("accessories") or []), Decimal("0")),
        insurance_premium=Decimal((facts.get("insurance") or {}).get("premium") or 0),
        loan_handling_fee=Decimal((facts.get("loan") or {}).get("handling_fee") or 0),
        plate_fee=facts.get("plate_fee") or Decimal("0"),
    )


async def quote(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    figures = _figures(facts)
    consultant = facts.get("consultant_no") or by.employee_no
    if consultant is None:
        raise Unprocessable("whose quote is it?", errors=[field_error("consultant_no", "required")])
    async with kit.db.transaction() as session:
        customer = await customers.row(session, facts["customer_id"])
        if customer is None:
            raise Unprocessable("unknown customer", errors=[field_error("customer_id", "no such customer")])
        await scope.check_visible(session, by, customer.owner_no, "customers")
        await scope.check_visible(session, by, consultant, "quotes")
        lead_id = facts.get("lead_id")
        if lead_id is not None:
            lead = await prospects.lead_row(session, lead_id)
            state = lead.state if lead is not None and lead.customer_id == customer.id else None
            if state is None:
                raise Unprocessable("the lead is not this customer's", errors=[field_error("lead_id", "no such lead")])
            if state in ("lost", "delivered"):
                raise Conflict(f"the lead is {state}", code="invalid-state")
        row = (
            await session.execute(
                quotes.insert()
                .values(
                    id=str(uuid.uuid4()),
                    lead_id=lead_id,
                    customer_id=customer.id,
                    consultant_no=consultant,
                    model=facts["model"],
                    grade=facts["grade"],
                    list_price=figures.list_price,
                    price=figures.price,
                    floor_price=figures.floor_price,
                    discount=rules.discount(figures),
                    accessories=to_jsonable_python(facts.get("accessories") or []),
                    insurance=to_jsonable_python(facts.get("insurance")),
                    loan=to_jsonable_python(facts.get("loan")),
                    plate_fee=figures.plate_fee,
                    trade_in=to_jsonable_python(facts.get("trade_in")),
                    total=rules.total(figures),
                    status=rules.initial_status(figures),
                    created_by=by.username,
                )
                .returning(*quotes.c)
            )
        ).one()
        await prospects.advance(session, kit, lead_id, "quoted", by=by.username)
    return _quote_view(row)


async def move_quote(kit: Kit, quote_id: str, to: str, *, by: Principal) -> dict[str, Any]:
    """open → accepted / declined by the consultant; pending_approval → open (approve) by the sales
    manager only."""
    async with kit.db.transaction() as session:
        row = await row_or_404(session, quotes.c.id, quote_id, "quote", lock=True)
        await scope.check_visible(session, by, row.consultant_no, "quotes")
        try:
            rules.check_quote_move(row.status, to)
        except ValueError as exc:
            raise Conflict(str(exc), code="invalid-transition", allowed=sorted(rules.QUOTE_MOVES[row.status])) from exc
        changes: dict[str, Any] = {"status": to, "version": quotes.c.version + 1}
        if row.status == "pending_approval" and to == "open":
            if by.role not in (Role.SALES_MANAGER, Role.GENERAL_MANAGER):
                raise Forbidden("a price below the floor price needs the sales manager's approval")
            changes |= {"approved_by": by.username, "approved_at": datetime.now(UTC)}
        row = (
            await session.execute(update(quotes).where(quotes.c.id == quote_id).values(**changes).returning(*quotes.c))
        ).one()
    return _quote_view(row)


async def get_quote(kit: Kit, quote_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, quotes.c.id, quote_id, "quote")
        await scope.check_visible(session, by, row.consultant_no, "quotes")
    return _quote_view(row)


async def list_quotes(
    kit: Kit,
    *,
    by: Principal,
    lead_id: str | None,
    customer_id: str | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    """Quotes the caller may see, newest first: a lead's, a customer's, or those waiting for the sales
    manager's approval below the floor (``status=pending_approval``)."""
    query = select(quotes)
    for column, value in ((quotes.c.lead_id, lead_id), (quotes.c.customer_id, customer_id), (quotes.c.status, status)):
        if value is not None:
            query = query.where(column == value)
    query = scope.narrowed(query, by, quotes.c.consultant_no)
    order = (quotes.c.created_at, quotes.c.id)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit, descending=True)
    return {"items": [_quote_view(r) for r in page], "next_cursor": next_cursor}


async def place(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        q = (await session.execute(select(quotes).where(quotes.c.id == facts["quote_id"]).with_for_update())).first()
        if q is None:
            raise Unprocessable("unknown quote", errors=[field_error("quote_id", "no such quote")])
        await scope.check_visible(session, by, q.consultant_no, "quotes")
        if q.status != "accepted":
            raise Conflict(f"the quote is {q.status}; an order is placed from an accepted quote", code="invalid-state")
        try:
            rules.check_deposit(facts["deposit"], q.price)
        except ValueError as exc:
            raise Unprocessable(str(exc), errors=[field_error("deposit", str(exc))]) from exc
        if await session.scalar(select(orders.c.id).where(orders.c.quote_id == q.id)) is not None:
            raise Conflict("an order was already placed from this quote", code="quote-ordered")
        order_id = str(uuid.uuid4())
        if facts.get("vin"):
            await stock.reserve(
                session,
                facts["vin"],
                order_id,
                model=q.model,
                grade=q.grade,
                planned_handover_at=facts.get("planned_handover_at"),
            )
        now = datetime.now(UTC)
        row = (
            await session.execute(
                orders.insert()
                .values(
                    id=order_id,
                    quote_id=q.id,
                    lead_id=q.lead_id,
                    customer_id=q.customer_id,
                    consultant_no=q.consultant_no,
                    vin=facts.get("vin"),
                    model=q.model,
                    grade=q.grade,
                    price=q.price,
                    floor_price=q.floor_price,
                    deposit=facts["deposit"],
                    financed=q.loan is not None,
                    planned_handover_at=facts.get("planned_handover_at"),
                    created_by=by.username,
                    placed_at=now,
                )
                .returning(*orders.c)
            )
        ).one()
        await prospects.advance(session, kit, q.lead_id, "ordered", by=by.username)
        lead = await prospects.lead_row(session, q.lead_id) if q.lead_id else None
        campaign = lead.campaign_code if lead is not None else None
        buyer = await customers.row(session, q.customer_id)
        await outbox.publish(
            session,
            OrderPlaced(
                order_id=order_id,
                quote_id=q.id,
                lead_id=q.lead_id,
                customer_id=q.customer_id,
                consultant_no=q.consultant_no,
                vin=row.vin,
                model=q.model,
                grade=q.grade,
                price=q.price,
                floor_price=q.floor_price,
                deposit=row.deposit,
                campaign_code=campaign,
                placed_at=now,
                loan=OrderLoan(**q.loan) if q.loan else None,
                customer=CustomerRef(customer_id=buyer.id, name=buyer.name, mobile=buyer.mobile),
            ),
            source=kit.source,
        )
    return await get_order(kit, order_id, by=by)


async def assign_vehicle(kit: Kit, order_id: str, vin: str, *, by: Principal) -> dict[str, Any]:
    """An order placed before its car arrived gets one from stock (the old one, if any, is released)."""
    async with kit.db.transaction() as session:
        row = await _locked_order(session, order_id, by)
        if row.status != "placed":
            raise Conflict(f"the order is {row.status}", code="invalid-state")
        if row.vin != vin:
            await stock.release(session, row.vin)
            await stock.reserve(
                session, vin, order_id, model=row.model, grade=row.grade, planned_handover_at=row.planned_handover_at
            )
            await session.execute(
                update(orders).where(orders.c.id == order_id).values(vin=vin, version=orders.c.version + 1)
            )
    return await get_order(kit, order_id, by=by)


async def cancel_order(kit: Kit, order_id: str, reason: str, *, by: Principal) -> dict[str, Any]:
    """The customer withdraws before the handover: the car goes back to stock, the lead is lost."""
    async with kit.db.transaction() as session:
        row = await _locked_order(session, order_id, by)
        if row.status != "placed":
            raise Conflict(f"the order is {row.status}; only a placed order is cancelled", code="invalid-state")
        await stock.release(session, row.vin)
        await session.execute(
            update(orders)
            .where(orders.c.id == order_id)
            .values(
                status="cancelled", cancel_reason=reason, cancelled_at=datetime.now(UTC), version=orders.c.version + 1
            )
        )
        if row.lead_id is not None:
            lead = await prospects.lead_row(session, row.lead_id, lock=True)
            if lead.state == "ordered":
                await prospects.change_state(
                    session, kit, lead, "lost", lost_reason="order_cancelled", lost_note=reason, by=by.username
                )
    return await get_order(kit, order_id, by=by)


async def get_order(kit: Kit, order_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, orders.c.id, order_id, "order")
        await scope.check_visible(session, by, row.consultant_no, "orders")
    return _order_view(row)


async def list_orders(
    kit: Kit, *, by: Principal, customer_id: str | None, status: str | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    query = select(orders)
    if customer_id:
        query = query.where(orders.c.customer_id == customer_id)
    if status:
        query = query.where(orders.c.status == status)
    query = scope.narrowed(query, by, orders.c.consultant_no)
    order = (orders.c.placed_at, orders.c.id)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit, descending=True)
    return {"items": [_order_view(r) for r in page], "next_cursor": next_cursor}


def _order_view(row: Any) -> dict[str, Any]:
    return {**row._mapping, "loan_holds_handover": rules.loan_holds_handover(row.financed, row.loan_state)}


LOAN_STEPS: dict[type[DomainEvent], str] = {
    LoanApplied: "applied",
    LoanApproved: "approved",
    LoanDeclined: "declined",
    LoanWithdrawn: "withdrawn",
    LoanDisbursed: "disbursed",
}


LoanStep = LoanApplied | LoanApproved | LoanDeclined | LoanWithdrawn | LoanDisbursed


async def on_loan_step(session: AsyncConnection, event: LoanStep, envelope: CloudEvent) -> None:
    """FIN-3: the order's financing state from the F&I office's events (keyed by the order, so they
    arrive in order; a step older than the one recorded, redelivered after a later one, changes nothing)."""
    if event.order_id is None:
        return
    values: dict[str, Any] = {
        "loan_state": LOAN_STEPS[type(event)],
        "loan_application_id": event.application_id,
        "loan_state_at": envelope.time,
    }
    if isinstance(event, LoanApproved):
        values["approved_loan"] = {"bank": event.lender, "handling_fee": str(event.handling_fee)}
    await session.execute(
        update(orders)
        .where(
            orders.c.id == event.order_id,
            (orders.c.loan_state_at.is_(None)) | (orders.c.loan_state_at <= envelope.time),
        )
        .values(**values)
    )


async def for_delivery(session: AsyncConnection, order_id: str, *, by: Principal) -> tuple[Any, Any]:
    """The placed order (locked) and its quote, whose facts a handover takes."""
    row = await _locked_order(session, order_id, by)
    if row.status != "placed":
        raise Conflict(f"the order is {row.status}", code="invalid-state")
    if row.vin is None:
        raise Conflict("the order has no car yet: assign one from stock first", code="vehicle-unassigned")
    q = (await session.execute(select(quotes).where(quotes.c.id == row.quote_id))).one()
    return row, q


async def delivered(session: AsyncConnection, order_id: str, delivery_id: str) -> None:
    await session.execute(
        update(orders)
        .where(orders.c.id == order_id)
        .values(status="delivered", delivery_id=delivery_id, version=orders.c.version + 1)
    )


async def delivery_cancelled(session: AsyncConnection, order_id: str | None, reason: str) -> None:
    """A cancelled sale: the order is cancelled and the car goes back to stock."""
    if order_id is None:
        return
    vin = await session.scalar(
        update(orders)
        .where(orders.c.id == order_id)
        .values(status="cancelled", cancel_reason=reason, cancelled_at=datetime.now(UTC), version=orders.c.version + 1)
        .returning(orders.c.vin)
    )
    await stock.release(session, vin)


async def _locked_order(session: AsyncConnection, order_id: str, by: Principal) -> Any:
    row = await row_or_404(session, orders.c.id, order_id, "order", lock=True)
    await scope.check_visible(session, by, row.consultant_no, "orders")
    return row


def _quote_view(row: Any) -> dict[str, Any]:
    view = dict(row._mapping)
    view["below_floor"] = row.price < row.floor_price
    return view


async def move_customer(session: AsyncConnection, duplicate_id: str, survivor_id: str) -> None:
    for table in (quotes, orders):
        await session.execute(update(table).where(table.c.customer_id == duplicate_id).values(customer_id=survivor_id))
