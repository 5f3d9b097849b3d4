"""Car loan applications (FIN-1..4): opened from an order's quoted loan or by the F&I office, the
lender's documents ticked off, reviewed by the risk desk, sent to the lender, approved or declined,
paid out, the mortgage registered, closed. Each step is stored with the event leads and payroll
learn it from, in one transaction."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fours_contracts import (
    DomainEvent,
    LoanApplied,
    LoanApproved,
    LoanDeclined,
    LoanDisbursed,
    LoanWithdrawn,
    OrderPlaced,
)
from pydantic_core import to_jsonable_python
from servicekit import idempotency, outbox, staff
from servicekit.auth import Principal
from servicekit.calendar import business_date
from servicekit.calendar import today as calendar_today
from servicekit.concurrency import check_version
from servicekit.db import row_or_404, rows_by
from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error, invalid_transition
from servicekit.hooks import Hook
from servicekit.kit import Kit
from servicekit.pagination import fetch_views
from servicekit.permissions import Permission, holds
from servicekit.roles import Role
from servicekit.states import InvalidMove
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.loans import rules
from insurance.loans.tables import (
    loan_applications,
    loan_decline_reasons,
    loan_document_lists,
    loan_documents,
    loan_orders,
    loan_risk_reviews,
    loan_steps,
)

SCOPE = "loan_application"
SPECIALISTS = (Role.FINANCE_SPECIALIST,)
DEFAULT_LIST = "default"
DEFAULT_TERM_MONTHS = 36
"""An order quoted with a loan but no term opens its draft at three years (the specialist corrects it)."""
_OPEN = ("draft", "documents_complete", "submitted")
paid_out: Hook[...] = Hook("a loan paid out (session, the application as it now is)")
"""Fired in the payout's transaction: the repayments feature opens the loan's account and schedule."""


def _open_work(employee_no: Any) -> Any:
    return (
        select(func.count())
        .where(loan_applications.c.specialist_no == employee_no, loan_applications.c.state.in_(_OPEN))
        .scalar_subquery()
    )


async def on_order_placed(session: AsyncConnection, event: OrderPlaced) -> None:
    """Every placed order is known here (an application is opened for one); one quoted with a loan
    opens its draft application at once, for the least busy finance specialist."""
    await session.execute(
        insert(loan_orders)
        .values(
            order_id=event.order_id,
            customer_id=event.customer_id,
            customer_name=event.customer.name if event.customer else None,
            customer_mobile=event.customer.mobile if event.customer else None,
            consultant_no=event.consultant_no,
            vin=event.vin,
            model=event.model,
            price=event.price,
            placed_at=event.placed_at,
        )
        .on_conflict_do_nothing(index_elements=[loan_orders.c.order_id])
    )
    if event.loan is None:
        return
    order = (await session.execute(select(loan_orders).where(loan_orders.c.order_id == event.order_id))).one()
    if await _open_for(session, order.order_id) is not None:
        return
    await _insert(
        session,
        order,
        {
            "lender": event.loan.bank,
            "amount": event.loan.amount,
            "down_payment": max(event.price - event.loan.amount, Decimal("0.00")),
            "term_months": event.loan.term_months or DEFAULT_TERM_MONTHS,
            "annual_rate": event.loan.annual_rate,
            "handling_fee": event.loan.handling_fee,
        },
        specialist_no=None,
        by=f"order:{event.order_id}",
        source=None,
    )


async def _open_for(session: AsyncConnection, order_id: str) -> str | None:
    return await session.scalar(  # type: ignore[no-any-return]
        select(loan_applications.c.id).where(
            loan_applications.c.order_id == order_id, loan_applications.c.state.not_in(["declined", "withdrawn"])
        )
    )


async def _insert(
    session: AsyncConnection,
    order: Any,
    terms: dict[str, Any],
    *,
    specialist_no: str | None,
    by: str,
    source: str | None,
) -> str:
    application_id = str(uuid.uuid4())
    specialist = specialist_no or await staff.least_busy(session, SPECIALISTS, _open_work, on=calendar_today())
    await session.execute(
        loan_applications.insert().values(
            id=application_id,
            order_id=order.order_id,
            customer_id=order.customer_id,
            customer_name=order.customer_name,
            customer_mobile=order.customer_mobile,
            consultant_no=order.consultant_no,
            vin=order.vin,
            model=order.model,
            specialist_no=specialist,
            created_by=by,
            **{k: v for k, v in terms.items() if k != "guarantor"},
            guarantor=to_jsonable_python(terms.get("guarantor")),
        )
    )
    lender_list = await _document_list(session, terms["lender"])
    await session.execute(
        loan_documents.insert(),
        [{"application_id": application_id, **doc} for doc in lender_list],
    )
    await _step(session, application_id, None, "draft", {}, by)
    now = datetime.now(UTC)
    await outbox.publish(
        session,
        LoanApplied(
            application_id=application_id,
            order_id=order.order_id,
            customer_id=order.customer_id,
            lender=terms["lender"],
            amount=terms["amount"],
            applied_at=now,
        ),
        source=source,
    )
    return application_id


async def _document_list(session: AsyncConnection, lender: str) -> list[dict[str, Any]]:
    """The lender's checklist, or the store's default one."""
    for name in (lender, DEFAULT_LIST):
        rows = (
            await session.execute(
                select(
                    loan_document_lists.c.code,
                    loan_document_lists.c.label,
                    loan_document_lists.c.required,
                    loan_document_lists.c.position,
                )
                .where(loan_document_lists.c.lender == name)
                .order_by(loan_document_lists.c.position)
            )
        ).all()
        if rows:
            return [dict(r._mapping) for r in rows]
    return [{**vars(d), "position": n} for n, d in enumerate(rules.DOCUMENTS)]


async def open_application(
    kit: Kit, facts: dict[str, Any], *, by: Principal, idempotency_key: str | None
) -> dict[str, Any]:
    """FIN-1: staff open an application for a placed order (one open application per order: 409
    ``application-exists`` names it); a finance specialist opens it for themselves."""
    async with kit.db.transaction() as session:
        if idempotency_key:
            stored = await idempotency.claim(session, f"{by.subject}:{SCOPE}", idempotency_key, facts)
            if stored is not None:
                return dict(stored[1])
        order = (await session.execute(select(loan_orders).where(loan_orders.c.order_id == facts["order_id"]))).first()
        if order is None:
            raise Unprocessable(
                f"order {facts['order_id']} is not known here (yet)",
                errors=[field_error("order_id", "no such order")],
            )
        held = await _open_for(session, order.order_id)
        if held is not None:
            raise Conflict(
                f"order {order.order_id} already has application {held}", code="application-exists", application_id=held
            )
        specialist = by.employee_no if by.role == Role.FINANCE_SPECIALIST else None
        terms = {k: facts.get(k) for k in _TERMS}
        application_id = await _insert(
            session, order, terms, specialist_no=specialist, by=by.username, source=kit.source
        )
        body = to_jsonable_python(await _view(session, application_id))
        if idempotency_key:
            await idempotency.remember(session, f"{by.subject}:{SCOPE}", idempotency_key, 201, body)
        return body  # type: ignore[no-any-return]


_TERMS = ("lender", "amount", "down_payment", "term_months", "annual_rate", "handling_fee", "guarantor")


async def edit_terms(
    kit: Kit, application_id: str, facts: dict[str, Any], *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    """FIN-1: the applied terms (amount, down payment, term, rate, fee, guarantor) are corrected until
    the application goes to the lender; the lender is not changed (withdraw, and apply to another)."""
    async with kit.db.transaction() as session:
        row = await _locked(session, application_id, by)
        check_version(row.version, if_match)
        if row.state not in rules.TERMS_EDITABLE:
            raise Conflict(f"the application is {row.state}: its terms are the lender's now", code="invalid-state")
        values = {k: v for k, v in facts.items() if k in _TERMS and k != "lender"}
        if "guarantor" in values:
            values["guarantor"] = to_jsonable_python(values["guarantor"])
        if values:
            await _changed(session, application_id, **values)
        return await _view(session, application_id)


async def put_document(
    kit: Kit, application_id: str, code: str, facts: dict[str, Any], *, by: Principal
) -> dict[str, Any]:
    """FIN-1: a document of the checklist received (or taken back, ``received: false``) with a note."""
    async with kit.db.transaction() as session:
        row = await _locked(session, application_id, by)
        if row.state not in rules.TERMS_EDITABLE:
            raise Conflict(f"the application is {row.state}: its documents went to the lender", code="invalid-state")
        done = await session.execute(
            update(loan_documents)
            .where(loan_documents.c.application_id == application_id, loan_documents.c.code == code)
            .values(received=facts["received"], note=facts.get("note"), updated_by=by.username, updated_at=func.now())
        )
        if not done.rowcount:
            raise NotFound(f"document {code} is not on application {application_id}'s checklist")
        await _changed(session, application_id)
        return await _view(session, application_id)


async def review(kit: Kit, application_id: str, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """FIN-4: the risk desk's review: credit check, home visit (家访), counter-guarantees (反担保),
    and its outcome; ``refer`` puts the customer on the after-loan watch list unless it says otherwise."""
    async with kit.db.transaction() as session:
        row = await row_or_404(session, loan_applications.c.id, application_id, "loan application", lock=True)
        if row.state not in rules.TERMS_EDITABLE:
            raise Conflict(
                f"the application is {row.state}: reviewed before it goes to the lender", code="invalid-state"
            )
        watch = facts.get("watch")
        watch = facts["outcome"] == "refer" if watch is None else watch
        await session.execute(
            loan_risk_reviews.insert().values(
                application_id=application_id,
                outcome=facts["outcome"],
                notes=facts["notes"],
                credit_check=facts.get("credit_check"),
                home_visit=to_jsonable_python(facts.get("home_visit")),
                counter_guarantees=facts.get("counter_guarantees") or [],
                watch=watch,
                reviewed_by=by.employee_no or by.username,
            )
        )
        await _changed(session, application_id, risk_outcome=facts["outcome"], watch=watch)
        return await _view(session, application_id)


async def move(
    kit: Kit, application_id: str, to: str, facts: dict[str, Any], *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    """FIN-1: one step of the chart with what it needs; the lender's answers and the payout publish
    their events (leads lets the car go on ``loan.approved``)."""
    async with kit.db.transaction() as session:
        row = await _locked(session, application_id, by)
        check_version(row.version, if_match)
        try:
            rules.check(row.state, to)
        except InvalidMove as exc:
            raise invalid_transition(exc) from exc
        missing = rules.missing_facts(to, facts)
        if missing:
            raise Unprocessable(
                f"moving to {to} says {', '.join(missing)}",
                errors=[field_error(name, f"required to move to {to}") for name in missing],
            )
        now = datetime.now(UTC)
        values, event = await _step_values(session, row, to, facts, by=by, now=now)
        await _changed(session, application_id, state=to, **values)
        await _step(session, application_id, row.state, to, facts, by.username)
        if event is not None:
            await outbox.publish(session, event, source=kit.source)
        if to == "disbursed":
            await paid_out.fire(session, await row_or_404(session, loan_applications.c.id, application_id, "loan"))
        return await _view(session, application_id)


async def _step_values(
    session: AsyncConnection, row: Any, to: str, facts: dict[str, Any], *, by: Principal, now: datetime
) -> tuple[dict[str, Any], DomainEvent | None]:
    ref = {"application_id": row.id, "order_id": row.order_id, "customer_id": row.customer_id, "lender": row.lender}
    today = business_date(now)
    if to == "documents_complete":
        docs = (
            await session.execute(
                select(loan_documents.c.code, loan_documents.c.required, loan_documents.c.received).where(
                    loan_documents.c.application_id == row.id
                )
            )
        ).all()
        missing = rules.missing([tuple(d) for d in docs])
        if missing:
            raise Conflict(f"documents still missing: {', '.join(missing)}", code="documents-missing", missing=missing)
        return {}, None
    if to == "submitted":
        try:
            rules.check_risk(row.risk_outcome, manager=holds(by, Permission.LOANS_MANAGE))
        except rules.RiskRefusal as exc:
            raise Conflict(str(exc), code="risk-review", risk_outcome=row.risk_outcome) from exc
        if row.annual_rate is None:
            raise Unprocessable(
                "the application goes to the lender with the rate applied for",
                errors=[field_error("annual_rate", "set it on the application first")],
            )
        return {"submitted_at": now}, None
    if to == "approved":
        try:
            rules.check_approval(row.amount, facts["approved_amount"])
        except ValueError as exc:
            raise Unprocessable(str(exc), errors=[field_error("approved_amount", str(exc))]) from exc
        values = {
            "approved_amount": facts["approved_amount"],
            "approved_rate": facts["annual_rate"],
            "approved_term": facts["term_months"],
            "decided_at": now,
        }
        event = LoanApproved(
            **ref,
            approved_amount=facts["approved_amount"],
            annual_rate=facts["annual_rate"],
            term_months=facts["term_months"],
            handling_fee=facts.get("handling_fee") if facts.get("handling_fee") is not None else row.handling_fee,
            specialist_no=row.specialist_no,
            approved_at=now,
        )
        if facts.get("handling_fee") is not None:
            values["handling_fee"] = facts["handling_fee"]
        return values, event
    if to == "declined":
        label = await session.scalar(
            select(loan_decline_reasons.c.label).where(
                loan_decline_reasons.c.code == facts["reason"], loan_decline_reasons.c.active
            )
        )
        if label is None:
            raise Unprocessable(
                f"{facts['reason']} is not on the store's list of decline reasons",
                errors=[field_error("reason", "not a decline reason of the store")],
            )
        return {"decline_reason": facts["reason"], "decided_at": now}, LoanDeclined(
            **ref, reason=facts["reason"], declined_at=now
        )
    if to == "withdrawn":
        return {"withdraw_reason": facts["reason"]}, LoanWithdrawn(**ref, reason=facts["reason"], withdrawn_at=now)
    if to == "disbursed":
        try:
            rules.check_payout(row.approved_amount, facts["disbursed_amount"])
        except ValueError as exc:
            raise Unprocessable(str(exc), errors=[field_error("disbursed_amount", str(exc))]) from exc
        taken = await session.scalar(
            select(loan_applications.c.id).where(
                loan_applications.c.lender == row.lender, loan_applications.c.contract_no == facts["contract_no"]
            )
        )
        if taken is not None:
            raise Conflict(
                f"{row.lender} contract {facts['contract_no']} is application {taken}'s", code="contract-exists"
            )
        day = facts.get("disbursed_on") or today
        return {
            "contract_no": facts["contract_no"],
            "disbursed_amount": facts["disbursed_amount"],
            "disbursed_on": day,
            "first_due_on": facts.get("first_due_on") or rules.first_due(day),
        }, LoanDisbursed(**ref, contract_no=facts["contract_no"], amount=facts["disbursed_amount"], disbursed_on=day)
    if to == "mortgage_registered":
        return {"mortgage_registered_on": facts.get("mortgage_registered_on") or today}, None
    if to == "closed":
        return {"closed_on": facts.get("closed_on") or today}, None
    raise AssertionError(to)  # pragma: no cover - the chart has no other state


async def mortgage_registered(session: AsyncConnection, order_id: str, on: date, *, by: str) -> None:
    """FIN-1/REG-3: the plate specialist registered the mortgage of the order's car: its paid-out loan
    moves to mortgage_registered (a loan not paid out yet waits for its own step)."""
    row = (
        await session.execute(
            select(loan_applications)
            .where(loan_applications.c.order_id == order_id, loan_applications.c.state == "disbursed")
            .with_for_update()
        )
    ).first()
    if row is None:
        return
    await _changed(session, row.id, state="mortgage_registered", mortgage_registered_on=on)
    await _step(session, row.id, row.state, "mortgage_registered", {"mortgage_registered_on": on}, by)


async def _step(
    session: AsyncConnection, application_id: str, before: str | None, to: str, facts: Any, by: str
) -> None:
    await session.execute(
        loan_steps.insert().values(
            application_id=application_id,
            from_state=before,
            to_state=to,
            facts=to_jsonable_python({k: v for k, v in facts.items() if v is not None}),
            by=by,
        )
    )


async def _changed(session: AsyncConnection, application_id: str, **values: Any) -> None:
    await session.execute(
        update(loan_applications)
        .where(loan_applications.c.id == application_id)
        .values(**values, version=loan_applications.c.version + 1, updated_at=func.now())
    )


def sees_all(by: Principal) -> bool:
    """The finance manager and the risk desk see every application and loan; a specialist sees their own."""
    return holds(by, Permission.LOANS_MANAGE) or holds(by, Permission.LOANS_RISK)


async def _locked(session: AsyncConnection, application_id: str, by: Principal) -> Any:
    row = await row_or_404(session, loan_applications.c.id, application_id, "loan application", lock=True)
    _check_visible(row, by)
    return row


def _check_visible(row: Any, by: Principal) -> None:
    if not sees_all(by) and row.specialist_no != by.employee_no:
        raise Forbidden("a finance specialist works the applications they handle")


async def assign(kit: Kit, application_id: str, employee_no: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await row_or_404(session, loan_applications.c.id, application_id, "loan application", lock=True)
        await staff.active_member(
            session, employee_no, field="employee_no", on=calendar_today(), roles=set(SPECIALISTS)
        )
        await _changed(session, application_id, specialist_no=employee_no)
        return await _view(session, application_id)


async def get(kit: Kit, application_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, loan_applications.c.id, application_id, "loan application")
        _check_visible(row, by)
        return await _view(session, application_id)


async def search(
    kit: Kit,
    *,
    by: Principal,
    state: str | None,
    lender: str | None,
    customer_id: str | None,
    order_id: str | None,
    specialist_no: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Applications newest first: a finance specialist's own, everyone's for the manager and the risk desk."""
    query = select(loan_applications.c.id, loan_applications.c.created_at)
    for column, value in (
        (loan_applications.c.state, state),
        (loan_applications.c.lender, lender),
        (loan_applications.c.customer_id, customer_id),
        (loan_applications.c.order_id, order_id),
        (loan_applications.c.specialist_no, specialist_no),
    ):
        if value is not None:
            query = query.where(column == value)
    if not sees_all(by):
        query = query.where(loan_applications.c.specialist_no == by.employee_no)
    order = [loan_applications.c.created_at, loan_applications.c.id]
    async with kit.db.transaction() as session:
        return await fetch_views(session, query, order, cursor, limit, _views, descending=True)


async def _view(session: AsyncConnection, application_id: str) -> dict[str, Any]:
    return (await _views(session, [application_id]))[0]


async def _views(session: AsyncConnection, ids: list[str]) -> list[dict[str, Any]]:
    rows = await rows_by(session, loan_applications.c.id, ids)
    docs = await rows_by(session, loan_documents.c.application_id, ids, order_by=loan_documents.c.position)
    reviews = await rows_by(session, loan_risk_reviews.c.application_id, ids, order_by=loan_risk_reviews.c.id)
    steps = await rows_by(session, loan_steps.c.application_id, ids, order_by=loan_steps.c.id)
    views = []
    for application_id in ids:
        row = rows[application_id][0]
        checklist = [dict(d._mapping) for d in docs[application_id]]
        views.append(
            {
                **row._mapping,
                "documents": checklist,
                "missing_documents": rules.missing([(d["code"], d["required"], d["received"]) for d in checklist]),
                "risk_reviews": [dict(r._mapping) for r in reviews[application_id]],
                "steps": [dict(s._mapping) for s in steps[application_id]],
                "allowed_transitions": sorted(rules.MOVES[row.state]),
            }
        )
    return views


async def document_lists(kit: Kit) -> dict[str, list[dict[str, Any]]]:
    """Every lender's checklist (``default`` for the lenders without one of their own)."""
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(loan_document_lists).order_by(loan_document_lists.c.lender, loan_document_lists.c.position)
            )
        ).all()
    lists: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        lists.setdefault(row.lender, []).append({"code": row.code, "label": row.label, "required": row.required})
    return lists


async def put_document_list(kit: Kit, lender: str, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """FIN-1: the store's checklist for a lender; applications already open keep theirs."""
    codes = [d["code"] for d in documents]
    if len(set(codes)) != len(codes):
        raise Unprocessable("a document is listed once", errors=[field_error("documents", "duplicate code")])
    async with kit.db.transaction() as session:
        await session.execute(loan_document_lists.delete().where(loan_document_lists.c.lender == lender))
        await session.execute(
            loan_document_lists.insert(),
            [{"lender": lender, "position": n, **d} for n, d in enumerate(documents)],
        )
    return documents


async def decline_reasons(kit: Kit) -> list[dict[str, Any]]:
    async with kit.db.transaction() as session:
        rows = (await session.execute(select(loan_decline_reasons).order_by(loan_decline_reasons.c.code))).all()
    return [dict(r._mapping) for r in rows]


async def put_decline_reason(kit: Kit, code: str, label: str, active: bool) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        stmt = insert(loan_decline_reasons).values(code=code, label=label, active=active)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[loan_decline_reasons.c.code], set_={"label": label, "active": active}
            )
        )
    return {"code": code, "label": label, "active": active}
