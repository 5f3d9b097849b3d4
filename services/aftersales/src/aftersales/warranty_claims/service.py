"""CLM-1..4 warranty claims (索赔): filed by the warranty clerk from a warranty repair order (or for a
stock car damaged in transit or storage), answered by the manufacturer (in batches, or recorded by
the clerk from its portal), paid; and the month's first-pass and rejection rates."""

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fours_contracts import StockCarDamaged
from pydantic import TypeAdapter, ValidationError
from servicekit import idempotency
from servicekit.auth import Principal
from servicekit.calendar import business_date, midnight, month_span
from servicekit.calendar import today as calendar_today
from servicekit.concurrency import check_version
from servicekit.db import row_or_404, rows_by
from servicekit.errors import Conflict, Unprocessable, field_error, invalid_transition, item_errors
from servicekit.kit import Kit
from servicekit.pagination import fetch_views
from servicekit.states import InvalidMove
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.repair_orders import service as repair_orders
from aftersales.warranty_claims import rules
from aftersales.warranty_claims.tables import warranty_claim_answers, warranty_claim_lines, warranty_claims

SCOPE = "warranty_claim"
submit_days = rules.SUBMIT_DAYS
"""Set from ``AFTERSALES_WARRANTY_SUBMIT_DAYS`` at start-up (``main``)."""
MAX_ANSWERS = 1000


async def open_claim(kit: Kit, facts: dict[str, Any], *, by: Principal, idempotency_key: str | None) -> dict[str, Any]:
    """CLM-1: a draft claim for a warranty repair order (its car and repair day from the order) or
    for a car named by VIN with its repair day; due CLM-2's days after the repair."""
    async with kit.db.transaction() as session:
        if idempotency_key:
            stored = await idempotency.claim(session, SCOPE, idempotency_key, facts)
            if stored is not None:
                return dict(stored[1])
        vin, repaired_on = facts.get("vin"), facts.get("repaired_on")
        if facts.get("repair_order_id"):
            order = await repair_orders.claim_facts(session, facts["repair_order_id"])
            if order is None:
                raise Unprocessable(
                    "no such repair order", errors=[field_error("repair_order_id", "no such repair order")]
                )
            if order.type != "warranty":
                raise Unprocessable(
                    f"repair order {order.id} is a {order.type} order, not a warranty one",
                    errors=[field_error("repair_order_id", "not a warranty repair order")],
                )
            held = await session.scalar(
                select(warranty_claims.c.id).where(warranty_claims.c.repair_order_id == order.id)
            )
            if held is not None:
                raise Conflict(f"repair order {order.id} already has claim {held}", code="claim-exists", claim_id=held)
            vin = order.vin
            repaired_on = repaired_on or business_date(order.handed_over_at or order.opened_at)
        if repaired_on is None:
            raise Unprocessable(
                "a claim without a repair order says when the car was repaired",
                errors=[field_error("repaired_on", "required without repair_order_id")],
            )
        claim_id = str(uuid.uuid4())
        lines = facts["lines"]
        await session.execute(
            warranty_claims.insert().values(
                id=claim_id,
                repair_order_id=facts.get("repair_order_id"),
                vin=vin,
                fault_code=facts["fault_code"],
                description=facts["description"],
                repaired_on=repaired_on,
                due_on=rules.due_on(repaired_on, submit_days),
                claimed_amount=rules.claimed((line["quantity"], line["unit_price"]) for line in lines),
                clerk_no=by.employee_no or by.username,
            )
        )
        await _put_lines(session, claim_id, lines)
        body = await _view(session, claim_id)
        if idempotency_key:
            await idempotency.remember(session, SCOPE, idempotency_key, 201, body)
        return body


async def draft_for_stock_car(session: AsyncConnection, event: StockCarDamaged) -> None:
    """CLM-1: a new car damaged in transport or storage (its PDI failed) is a draft claim without
    lines yet, repaired (found) on the PDI's day; whoever submits it becomes its clerk."""
    found_on = business_date(event.found_at)
    await session.execute(
        warranty_claims.insert().values(
            id=str(uuid.uuid4()),
            vin=event.vin,
            fault_code="PDI",
            description=f"{event.model} {event.grade}: {event.notes or 'PDI failed'}",
            repaired_on=found_on,
            due_on=rules.due_on(found_on, submit_days),
            claimed_amount=Decimal("0.00"),
            clerk_no="",
        )
    )


async def _put_lines(session: AsyncConnection, claim_id: str, lines: list[dict[str, Any]]) -> None:
    await session.execute(warranty_claim_lines.delete().where(warranty_claim_lines.c.claim_id == claim_id))
    await session.execute(
        warranty_claim_lines.insert(),
        [
            {
                "id": str(uuid.uuid4()),
                "claim_id": claim_id,
                "kind": line["kind"],
                "part_no": line.get("part_no"),
                "description": line["description"],
                "quantity": line["quantity"],
                "unit_price": line["unit_price"],
                "amount": rules.line_amount(line["quantity"], line["unit_price"]),
            }
            for line in lines
        ],
    )


async def move(
    kit: Kit, claim_id: str, to: str, facts: dict[str, Any], *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    """The clerk's moves: submit, resubmit (with corrected lines, if any), cancel a draft; and the
    manufacturer's answers when the clerk records them from its portal (no ``decision_ref``)."""
    async with kit.db.transaction() as session:
        claim = await row_or_404(session, warranty_claims.c.id, claim_id, "warranty claim", lock=True)
        check_version(claim.version, if_match)
        await _apply(
            session,
            claim,
            to,
            facts,
            recorded_by=by.username,
            answered_at=datetime.now(UTC),
            clerk_no=by.employee_no or by.username,
        )
        return await _view(session, claim_id)


async def _apply(
    session: AsyncConnection,
    claim: Any,
    to: str,
    facts: dict[str, Any],
    *,
    recorded_by: str,
    answered_at: datetime,
    clerk_no: str = "",
) -> None:
    try:
        rules.check(claim.state, to)
    except InvalidMove as exc:
        raise invalid_transition(exc) from exc
    values: dict[str, Any] = {"state": to}
    if to in rules.SUBMITTING:
        if facts.get("lines"):
            await _put_lines(session, claim.id, facts["lines"])
            values["claimed_amount"] = rules.claimed((line["quantity"], line["unit_price"]) for line in facts["lines"])
        elif not await session.scalar(select(func.count()).where(warranty_claim_lines.c.claim_id == claim.id)):
            raise Unprocessable("a claim is submitted with its lines", errors=[field_error("lines", "required")])
        if not claim.clerk_no:
            values["clerk_no"] = clerk_no
        values["submissions"] = claim.submissions + 1
        values["first_submitted_on"] = claim.first_submitted_on or business_date(answered_at)
        values["rejection_reason"] = None
    elif to in rules.DECISIONS or to == "paid":
        if to == "rejected" and not facts.get("reason"):
            raise Unprocessable("a refusal gives its reason", errors=[field_error("reason", "required to reject")])
        if to == "paid" and facts.get("amount") is None:
            raise Unprocessable("a payment says how much", errors=[field_error("amount", "required when paid")])
        amount = facts.get("amount")
        if to == "accepted":
            values["approved_amount"] = claim.claimed_amount if amount is None else amount
        if to == "rejected":
            values["rejection_reason"] = facts["reason"]
        if to == "paid":
            values["paid_amount"] = amount
            values["paid_on"] = facts.get("paid_on") or business_date(answered_at)
        await session.execute(
            warranty_claim_answers.insert().values(
                claim_id=claim.id,
                submission=claim.submissions,
                outcome=to,
                reason=facts.get("reason"),
                amount=values.get("approved_amount", amount),
                decision_ref=facts.get("decision_ref"),
                answered_at=answered_at,
                recorded_by=recorded_by,
            )
        )
    await session.execute(
        update(warranty_claims)
        .where(warranty_claims.c.id == claim.id)
        .values(**values, version=warranty_claims.c.version + 1, updated_at=func.now())
    )


async def answer_many(kit: Kit, items: list[Any], item: TypeAdapter[Any], *, partner: str) -> list[dict[str, Any]]:
    """CLM-4: the manufacturer's answers in a batch, each on its own: a bad item (unknown claim, a
    move the claim's state does not allow) is reported by index and never stops the others; an
    answer already recorded (same claim and ``decision_ref``) is ``unchanged``."""
    results: list[dict[str, Any]] = []
    async with kit.db.transaction() as session:
        for index, raw in enumerate(items):
            try:
                answer = item.validate_python(raw)
            except ValidationError as exc:
                results.append({"index": index, "status": "rejected", "errors": item_errors(exc)})
                continue
            results.append({"index": index, **await _answer_one(session, answer, partner=partner)})
    return results


async def _answer_one(session: AsyncConnection, answer: Any, *, partner: str) -> dict[str, Any]:
    known = await session.scalar(
        select(warranty_claim_answers.c.outcome).where(
            warranty_claim_answers.c.claim_id == answer.claim_id,
            warranty_claim_answers.c.decision_ref == answer.decision_ref,
        )
    )
    if known is not None:
        return {"status": "unchanged", "claim_id": answer.claim_id, "state": known, "errors": []}
    claim = (
        await session.execute(select(warranty_claims).where(warranty_claims.c.id == answer.claim_id).with_for_update())
    ).first()
    if claim is None:
        return {"status": "rejected", "claim_id": answer.claim_id, "errors": [field_error("claim_id", "no such claim")]}
    facts = {k: v for k, v in answer.model_dump().items() if k not in ("claim_id", "decision")}
    try:
        async with session.begin_nested():  # an item that fails leaves the others' answers in place
            await _apply(
                session, claim, answer.decision, facts, recorded_by=f"oem:{partner}", answered_at=answer.answered_at
            )
    except (Conflict, Unprocessable) as exc:
        errors = exc.errors or [{"name": "decision", "reason": exc.detail}]
        return {"status": "rejected", "claim_id": answer.claim_id, "errors": errors}
    return {"status": "recorded", "claim_id": answer.claim_id, "state": answer.decision, "errors": []}


async def to_claim(kit: Kit, limit: int) -> list[dict[str, Any]]:
    """CLM-1: the warranty repair orders that have no claim yet, newest first, with their lines (the
    clerk's starting point: the workshop's hours and parts, to be priced at the manufacturer's rates)."""
    claimed = select(warranty_claims.c.repair_order_id).where(warranty_claims.c.repair_order_id.is_not(None))
    async with kit.db.transaction() as session:
        return await repair_orders.unclaimed(session, "warranty", claimed, limit)


async def get(kit: Kit, claim_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await row_or_404(session, warranty_claims.c.id, claim_id, "warranty claim")
        return await _view(session, claim_id)


async def search(
    kit: Kit,
    *,
    state: str | None,
    clerk_no: str | None,
    late: bool | None,
    limit: int,
    cursor: str | None,
    vin: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Claims newest first; ``late``: past their due day unsubmitted, or submitted after it."""
    order = [warranty_claims.c.created_at, warranty_claims.c.id]
    query = select(warranty_claims.c.id, warranty_claims.c.created_at)
    if state:
        query = query.where(warranty_claims.c.state == state)
    if clerk_no:
        query = query.where(warranty_claims.c.clerk_no == clerk_no)
    if vin:
        query = query.where(warranty_claims.c.vin == vin)
    if late is not None:
        overdue = func.coalesce(warranty_claims.c.first_submitted_on, calendar_today()) > warranty_claims.c.due_on
        query = query.where(overdue if late else ~overdue)
    async with kit.db.transaction() as session:
        return await fetch_views(session, query, order, cursor, limit, _views, descending=True)


async def _view(session: AsyncConnection, claim_id: str) -> dict[str, Any]:
    return (await _views(session, [claim_id]))[0]


async def _views(session: AsyncConnection, claim_ids: list[str]) -> list[dict[str, Any]]:
    claims = await rows_by(session, warranty_claims.c.id, claim_ids)
    lines = await rows_by(session, warranty_claim_lines.c.claim_id, claim_ids, order_by=warranty_claim_lines.c.kind)
    answers = await rows_by(session, warranty_claim_answers.c.claim_id, claim_ids, order_by=warranty_claim_answers.c.id)
    today = calendar_today()
    views = []
    for claim_id in claim_ids:
        claim = claims[claim_id][0]
        views.append(
            {
                **claim._mapping,
                "late": rules.late(claim.due_on, first_submitted_on=claim.first_submitted_on, today=today),
                "lines": [dict(line._mapping) for line in lines[claim_id]],
                "answers": [dict(answer._mapping) for answer in answers[claim_id]],
                "allowed_transitions": sorted(rules.MOVES[claim.state]),
            }
        )
    return views


async def report(kit: Kit, month: str) -> dict[str, Any]:
    """CLM-3: the month's answers as rates, for the store and per clerk; what was claimed (claims
    first submitted in the month) against what was paid (payments in the month); late submissions."""
    first, following = month_span(month)
    start, end = midnight(first), midnight(following)
    async with kit.db.transaction() as session:
        answered = (
            await session.execute(
                select(
                    warranty_claim_answers.c.claim_id,
                    warranty_claim_answers.c.submission,
                    warranty_claim_answers.c.outcome,
                    warranty_claim_answers.c.amount,
                    warranty_claims.c.clerk_no,
                )
                .join(warranty_claims, warranty_claims.c.id == warranty_claim_answers.c.claim_id)
                .where(warranty_claim_answers.c.answered_at >= start, warranty_claim_answers.c.answered_at < end)
            )
        ).all()
        submitted = (
            await session.execute(
                select(
                    warranty_claims.c.clerk_no,
                    func.count(),
                    func.coalesce(func.sum(warranty_claims.c.claimed_amount), 0),
                    func.count().filter(warranty_claims.c.first_submitted_on > warranty_claims.c.due_on),
                )
                .where(warranty_claims.c.first_submitted_on >= first, warranty_claims.c.first_submitted_on < following)
                .group_by(warranty_claims.c.clerk_no)
            )
        ).all()
    by_clerk: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"answers": [], "submitted": 0, "claimed": Decimal(0), "late": 0, "paid": Decimal(0)}
    )
    for row in answered:
        if row.outcome in rules.DECISIONS:
            by_clerk[row.clerk_no]["answers"].append(rules.Answer(row.claim_id, row.submission, row.outcome))
        elif row.outcome == "paid":
            by_clerk[row.clerk_no]["paid"] += row.amount or 0
    for clerk_no, count, claimed, late in submitted:
        by_clerk[clerk_no].update(submitted=count, claimed=Decimal(claimed), late=late)

    def figures(answers: list[rules.Answer], submitted: int, claimed: Decimal, late: int, paid: Decimal) -> dict:
        return {
            **vars(rules.rates(answers)),
            "submitted": submitted,
            "late_submissions": late,
            "claimed_amount": claimed.quantize(rules.CENT),
            "paid_amount": Decimal(paid).quantize(rules.CENT),
        }

    clerks = [{"clerk_no": clerk_no, **figures(**entry)} for clerk_no, entry in sorted(by_clerk.items())]
    store = figures(
        [a for entry in by_clerk.values() for a in entry["answers"]],
        sum(e["submitted"] for e in by_clerk.values()),
        sum((e["claimed"] for e in by_clerk.values()), Decimal(0)),
        sum(e["late"] for e in by_clerk.values()),
        sum((e["paid"] for e in by_clerk.values()), Decimal(0)),
    )
    return {"month": month, **store, "by_clerk": clerks}
