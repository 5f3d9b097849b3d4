import uuid
from datetime import UTC, datetime
from typing import Any

from fours_contracts import CustomerRef, VehicleDelivered, VehicleDeliveryCancelled, VehicleSettled
from pydantic_core import to_jsonable_python
from servicekit import idempotency, outbox, staff
from servicekit.auth import Principal
from servicekit.calendar import business_date
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Forbidden, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.roles import SALES_STAFF, Role
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from leads import scope
from leads.customers import service as customers
from leads.deliveries import rules
from leads.deliveries.tables import deliveries
from leads.orders import rules as order_rules
from leads.orders import service as orders
from leads.prospects import service as prospects
from leads.stock import service as stock
from leads.tasks import rules as task_rules
from leads.tasks import service as tasks

ROUTE = "POST /api/v1/deliveries"
LOAN_OVERRIDERS = frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER})


async def record(
    kit: Kit, facts: dict[str, Any], *, by: Principal, idempotency_key: str | None
) -> tuple[int, dict[str, Any]]:
    """A handover: stores the delivery and stages *vehicle delivered* in one transaction; with an
    ``Idempotency-Key`` the delivery as recorded is stored with it and a repeat returns that."""
    key_scope = f"{by.subject}:{ROUTE}"
    async with kit.db.transaction() as session:
        if not facts.get("order_id"):
            await scope.check_visible(session, by, facts["consultant_no"], "deliveries")
        if idempotency_key:
            stored = await idempotency.claim(session, key_scope, idempotency_key, facts)
            if stored is not None:
                return stored
        order = None
        if facts.get("order_id"):
            order, facts = await _facts_from_order(session, facts, by=by)
        override = {k: facts.pop(k, None) for k in ("loan_override_reason", "loan_override_by")}
        await staff.active_member(
            session,
            facts["consultant_no"],
            field="consultant_no",
            on=business_date(facts["delivered_at"]),
            roles=set(SALES_STAFF),
        )
        customer = await customers.find_or_create(
            session, name=facts["customer"]["name"], mobile=facts["customer"]["mobile"], by=by.username
        )
        delivery_id = str(uuid.uuid4())
        event = VehicleDelivered(
            delivery_id=delivery_id,
            customer=CustomerRef(customer_id=customer.id, name=customer.name, mobile=customer.mobile),
            **{k: v for k, v in facts.items() if k != "customer"},
        )
        envelope = await outbox.publish(session, event, source=kit.source)
        documents = event.model_dump(mode="json", include=set(_DOCUMENTS))
        row = (
            await session.execute(
                _DELIVER,
                {
                    "id": delivery_id,
                    "customer_id": customer.id,
                    "delivered_event_id": envelope.id,
                    "created_by": by.username,
                    **override,
                    **{k: getattr(event, k) for k in _SCALARS},
                    **{k: documents[k] for k in _DOCUMENTS},
                },
            )
        ).first()
        if row is None:
            raise Conflict(
                f"vehicle {event.vin} is already delivered; cancel that delivery first", code="vin-delivered"
            )
        await customers.sold_to(session, customer.id, event.consultant_no)
        if order is not None:
            await stock.sell(
                session, order.vin, order_id=order.id, model=order.model, grade=order.grade, at=event.delivered_at
            )
            await orders.delivered(session, order.id, delivery_id)
            await prospects.advance(session, kit, order.lead_id, "delivered", by=by.username)
        await tasks.on_delivered(
            session,
            delivery_id=delivery_id,
            customer_id=customer.id,
            consultant_no=event.consultant_no,
            delivered_at=event.delivered_at,
            by=by.username,
        )
        body = to_jsonable_python(_view(row))
        if idempotency_key:
            await idempotency.remember(session, key_scope, idempotency_key, 201, body)
    return 201, body


_DELIVER = (
    insert(deliveries)
    .on_conflict_do_nothing(index_elements=[deliveries.c.vin], index_where=text("status = 'delivered'"))
    .returning(*deliveries.c)
)
"""One delivered row per car, built once: each handover's values go with the execution."""
_SCALARS = (
    "vin",
    "consultant_no",
    "channel",
    "model",
    "grade",
    "price",
    "floor_price",
    "delivered_at",
    "order_id",
    "plate_fee",
)


async def _facts_from_order(
    session: AsyncConnection, facts: dict[str, Any], *, by: Principal
) -> tuple[Any, dict[str, Any]]:
    """LEAD-9 from the order: car, buyer, consultant, price and the quote's loan, insurance and
    accessories; the channel, unless given, from the buyer (company: key account) and the lead's source."""
    order, quote = await orders.for_delivery(session, facts["order_id"], by=by)
    override = _loan_override(order, facts.get("loan_override_reason"), by)
    customer = await customers.row(session, order.customer_id)
    lead = await prospects.lead_row(session, order.lead_id) if order.lead_id else None
    source = lead.source if lead is not None else None
    channel = facts.get("channel") or rules.channel_of(
        key_account=customer.company is not None and customer.key_account_agreement,
        web_lead=source in task_rules.WEB_SOURCES,
    )
    return order, {
        "order_id": order.id,
        "vin": order.vin,
        "consultant_no": order.consultant_no,
        "channel": channel,
        "model": order.model,
        "grade": order.grade,
        "price": order.price,
        "floor_price": order.floor_price,
        "customer": {"name": customer.name, "mobile": customer.mobile},
        "loan": order_rules.loan_of_sale(
            {"bank": quote.loan["bank"], "handling_fee": quote.loan["handling_fee"]} if quote.loan else None,
            order.loan_state,
            order.approved_loan,
        ),
        "insurance": {"insurer": quote.insurance["insurer"], "coverages": quote.insurance["coverages"]}
        if quote.insurance
        else None,
        "accessories": rules.accessories_of(quote.accessories or []),
        "plate_fee": quote.plate_fee or None,
        "trade_in": quote.trade_in,
        "delivered_at": facts["delivered_at"],
        **override,
    }


def _loan_override(order: Any, reason: str | None, by: Principal) -> dict[str, str]:
    """FIN-3: a financed order's car waits for the lender's approval (409 ``loan_not_approved``);
    the sales manager may let it go with a reason, which the delivery records."""
    if not order_rules.loan_holds_handover(order.financed, order.loan_state):
        return {}
    if reason is None:
        raise Conflict(
            f"order {order.id} is financed and its loan is {order.loan_state or 'not applied for yet'}:"
            " the car waits for the lender's approval",
            code="loan-not-approved",
            reason="loan_not_approved",
            loan_state=order.loan_state,
        )
    if by.role not in LOAN_OVERRIDERS:
        raise Forbidden("only the sales manager hands over a financed car before the lender approved")
    return {"loan_override_reason": reason, "loan_override_by": by.username}


_DOCUMENTS = ("loan", "insurance", "accessories", "trade_in")


async def cancel(kit: Kit, delivery_id: str, reason: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _locked(session, delivery_id, by)
        if not rules.can_cancel(row.status):
            raise Conflict(
                f"delivery {delivery_id} is {row.status}; only a delivered sale can be cancelled",
                code="invalid-transition",
            )
        now = datetime.now(UTC)
        await tasks.on_delivery_cancelled(session, delivery_id, by=by.username)
        await orders.delivery_cancelled(session, row.order_id, reason)
        await outbox.publish(
            session,
            VehicleDeliveryCancelled(
                delivery_id=delivery_id,
                vin=row.vin,
                consultant_no=row.consultant_no,
                reason=reason,
                cancelled_at=now,
                delivered_event_id=row.delivered_event_id,
            ),
            source=kit.source,
        )
        row = await _changed(
            session, delivery_id, status="cancelled", cancel_reason=reason, cancelled_at=now, cancelled_by=by.username
        )
    return _view(row)


async def settle(kit: Kit, delivery_id: str, settled_at: datetime, *, by: Principal) -> dict[str, Any]:
    """PAY-9: the consultant completed the sale's settlement; the 2013 scheme pays the car from then on."""
    async with kit.db.transaction() as session:
        row = await _locked(session, delivery_id, by)
        if row.status != "delivered":
            raise Conflict(
                f"delivery {delivery_id} is {row.status}; only a delivered sale is settled", code="invalid-state"
            )
        if row.settled_at is not None:
            raise Conflict(f"delivery {delivery_id} was settled at {row.settled_at.isoformat()}", code="settled")
        if settled_at < row.delivered_at:
            raise Unprocessable(
                "settled before the handover", errors=[field_error("settled_at", "before delivered_at")]
            )
        await outbox.publish(
            session,
            VehicleSettled(
                delivery_id=delivery_id,
                vin=row.vin,
                consultant_no=row.consultant_no,
                settled_at=settled_at,
                delivered_event_id=row.delivered_event_id,
            ),
            source=kit.source,
        )
        row = await _changed(session, delivery_id, settled_at=settled_at)
    return _view(row)


async def _locked(session: AsyncConnection, delivery_id: str, by: Principal) -> Any:
    """The delivery, locked for a change, if ``by`` may see it."""
    row = await row_or_404(session, deliveries.c.id, delivery_id, "delivery", lock=True)
    await scope.check_visible(session, by, row.consultant_no, "deliveries")
    return row


async def _changed(session: AsyncConnection, delivery_id: str, **values: Any) -> Any:
    query = (
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(**values, version=deliveries.c.version + 1)
        .returning(*deliveries.c)
    )
    return (await session.execute(query)).one()


async def get(kit: Kit, delivery_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, deliveries.c.id, delivery_id, "delivery")
        await scope.check_visible(session, by, row.consultant_no, "deliveries")
    return _view(row)


async def of_customer(kit: Kit, customer_id: str, *, by: Principal) -> list[dict[str, Any]]:
    query = select(deliveries).where(deliveries.c.customer_id == customer_id).order_by(deliveries.c.delivered_at.desc())
    query = scope.narrowed(query, by, deliveries.c.consultant_no)
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    return [_view(r) for r in rows]


def _view(row: Any) -> dict[str, Any]:
    view = dict(row._mapping)
    view["delivery_id"] = view.pop("id")
    return view


async def move_customer(session: AsyncConnection, duplicate_id: str, survivor_id: str) -> None:
    await session.execute(
        update(deliveries).where(deliveries.c.customer_id == duplicate_id).values(customer_id=survivor_id)
    )
