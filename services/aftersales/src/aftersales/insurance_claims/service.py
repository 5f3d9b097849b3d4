"""CLM-5..6 insurance claims (理赔) of accident repair orders: the insurer and its claim number, its
assessment (定损) with the customer's excess, the insurer's payment; days to pay per insurer."""

import uuid
from typing import Any

from servicekit.auth import Principal
from servicekit.calendar import midnight, month_span
from servicekit.concurrency import check_version
from servicekit.db import row_or_404, rows_by
from servicekit.errors import Conflict, Unprocessable, field_error, invalid_transition
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from servicekit.states import InvalidMove
from sqlalchemy import func, select, update

from aftersales import scope
from aftersales.insurance_claims import rules
from aftersales.insurance_claims.tables import insurance_claims
from aftersales.repair_orders import service as repair_orders


async def open_claim(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """CLM-5: an accident repair order's claim with its insurer (one per order and per insurer's number)."""
    async with kit.db.transaction() as session:
        order = await repair_orders.claim_facts(session, facts["repair_order_id"])
        if order is None:
            raise Unprocessable("no such repair order", errors=[field_error("repair_order_id", "no such repair order")])
        scope.check_visible(by, order.advisor_no, "repair orders")
        if order.type != "accident":
            raise Unprocessable(
                f"repair order {order.id} is a {order.type} order, not an accident one",
                errors=[field_error("repair_order_id", "not an accident repair order")],
            )
        numbered = (insurance_claims.c.insurer == facts["insurer"]) & (insurance_claims.c.claim_no == facts["claim_no"])
        held = await session.scalar(
            select(insurance_claims.c.id).where((insurance_claims.c.repair_order_id == order.id) | numbered)
        )
        if held is not None:
            raise Conflict(
                "the order or the insurer's claim number has a claim already", code="claim-exists", claim_id=held
            )
        claim_id = str(uuid.uuid4())
        await session.execute(
            insurance_claims.insert().values(
                id=claim_id,
                repair_order_id=order.id,
                vin=order.vin,
                advisor_no=order.advisor_no,
                insurer=facts["insurer"],
                claim_no=facts["claim_no"],
                referred=facts["referred"],
                created_by=by.username,
            )
        )
        return await _view(session, claim_id)


async def move(
    kit: Kit, claim_id: str, to: str, facts: dict[str, Any], *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    """``assessed`` (again, for a supplementary assessment) with the amount, day, assessor and the
    customer's excess; ``paid`` with what the insurer paid and when."""
    async with kit.db.transaction() as session:
        claim = await row_or_404(session, insurance_claims.c.id, claim_id, "insurance claim", lock=True)
        scope.check_visible(by, claim.advisor_no, "repair orders")
        check_version(claim.version, if_match)
        try:
            rules.check(claim.state, to)
        except InvalidMove as exc:
            raise invalid_transition(exc) from exc
        if to == "assessed":
            try:
                share = rules.insurer_share(facts["amount"], facts["excess"])
            except ValueError as exc:
                raise Unprocessable(str(exc), errors=[field_error("excess", str(exc))]) from exc
            values = {
                "assessed_amount": facts["amount"],
                "assessed_on": facts["on"],
                "assessor": facts["assessor"],
                "excess": facts["excess"],
                "insurer_amount": share,
            }
        else:
            try:
                rules.days_to_pay(claim.assessed_on, facts["on"])
            except ValueError as exc:
                raise Unprocessable(str(exc), errors=[field_error("on", str(exc))]) from exc
            values = {"paid_amount": facts["amount"], "paid_on": facts["on"]}
        await session.execute(
            update(insurance_claims)
            .where(insurance_claims.c.id == claim_id)
            .values(**values, state=to, version=insurance_claims.c.version + 1, updated_at=func.now())
        )
        return await _view(session, claim_id)


async def get(kit: Kit, claim_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        claim = await row_or_404(session, insurance_claims.c.id, claim_id, "insurance claim")
        scope.check_visible(by, claim.advisor_no, "repair orders")
        return await _view(session, claim_id)


async def search(
    kit: Kit,
    *,
    state: str | None,
    insurer: str | None,
    repair_order_id: str | None = None,
    by: Principal,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    order = [insurance_claims.c.created_at, insurance_claims.c.id]
    query = select(insurance_claims.c.id, insurance_claims.c.created_at)
    if state:
        query = query.where(insurance_claims.c.state == state)
    if insurer:
        query = query.where(insurance_claims.c.insurer == insurer)
    if repair_order_id:
        query = query.where(insurance_claims.c.repair_order_id == repair_order_id)
    if (visible := scope.advised_by_visible(by, insurance_claims.c.advisor_no)) is not None:
        query = query.where(visible)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit, descending=True)
        rows = await rows_by(session, insurance_claims.c.id, [r.id for r in page])
        return [_shape(rows[r.id][0]) for r in page], next_cursor


async def _view(session: Any, claim_id: str) -> dict[str, Any]:
    return _shape((await session.execute(select(insurance_claims).where(insurance_claims.c.id == claim_id))).one())


def _days_to_pay(row: Any) -> int | None:
    return rules.days_to_pay(row.assessed_on, row.paid_on) if row.paid_on and row.assessed_on else None


def _shape(row: Any) -> dict[str, Any]:
    return {**row._mapping, "days_to_pay": _days_to_pay(row), "allowed_transitions": sorted(rules.MOVES[row.state])}


async def report(kit: Kit, month: str) -> list[dict[str, Any]]:
    """CLM-6 per insurer over the claims opened in the month: how many, how many it referred, what
    it assessed and paid, and its average days from assessment to payment."""
    first, following = month_span(month)
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(insurance_claims).where(
                    insurance_claims.c.created_at >= midnight(first),
                    insurance_claims.c.created_at < midnight(following),
                )
            )
        ).all()
    figures = rules.by_insurer(
        (
            r.insurer,
            r.referred,
            r.assessed_amount,
            _days_to_pay(r),
            r.paid_amount,
        )
        for r in rows
    )
    return [vars(f) for f in figures]
