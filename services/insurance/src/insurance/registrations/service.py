"""Plate registration (REG-1..3): every handover opens one, due within the temporary plate's life; the
plate specialist collects the papers, books the vehicle administration office and records the plate
(``vehicle.registered``: aftersales then knows the car by it, the car's policies gain it); a financed
car's mortgage and notarisation follow (``vehicle.mortgaged``; the loan moves to mortgage_registered)."""

import uuid
from datetime import date
from typing import Any

from fours_contracts import CustomerRef, VehicleDelivered, VehicleDeliveryCancelled, VehicleMortgaged, VehicleRegistered
from servicekit import outbox
from servicekit.auth import Principal
from servicekit.calendar import business_date
from servicekit.calendar import today as calendar_today
from servicekit.concurrency import check_version
from servicekit.db import row_or_404, rows_by
from servicekit.errors import Conflict, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.pagination import fetch_views
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.loans import service as loans
from insurance.policies import service as policies
from insurance.registrations import rules
from insurance.registrations.tables import registration_documents, registrations

due_days = rules.DUE_DAYS
"""Set from ``INSURANCE_REGISTRATION_DUE_DAYS`` at start-up (``main``)."""


_OPEN = (
    insert(registrations)
    .on_conflict_do_nothing(index_elements=[registrations.c.delivery_id])
    .returning(registrations.c.id)
)
"""One registration per handover; built once, its values go with each execution."""
_PAPERS = registration_documents.insert()


async def on_delivered(session: AsyncConnection, event: VehicleDelivered) -> None:
    """REG-1: the handover opens the car's registration; the compulsory policy the store sold with
    the car is already among its papers."""
    registration_id = str(uuid.uuid4())
    delivered_on = business_date(event.delivered_at)
    created = await session.scalar(
        _OPEN,
        {
            "id": registration_id,
            "delivery_id": event.delivery_id,
            "order_id": event.order_id,
            "vin": event.vin,
            "model": event.model,
            "customer_id": event.customer.customer_id,
            "customer_name": event.customer.name,
            "customer_mobile": event.customer.mobile,
            "consultant_no": event.consultant_no,
            "delivered_on": delivered_on,
            "due_on": rules.due_on(delivered_on, due_days),
            "financed": event.loan is not None,
            "lender": event.loan.bank if event.loan else None,
        },
    )
    if created is None:
        return
    insured = event.insurance is not None and "compulsory" in event.insurance.coverages
    await session.execute(
        _PAPERS,
        [
            {
                "registration_id": registration_id,
                "code": doc.code,
                "label": doc.label,
                "position": n,
                "received": insured and doc.code == "compulsory_insurance",
            }
            for n, doc in enumerate(rules.DOCUMENTS)
        ],
    )


async def on_delivery_cancelled(session: AsyncConnection, event: VehicleDeliveryCancelled) -> None:
    await session.execute(
        update(registrations)
        .where(registrations.c.delivery_id == event.delivery_id, registrations.c.state != "cancelled")
        .values(state="cancelled", version=registrations.c.version + 1, updated_at=func.now())
    )


async def _locked(session: AsyncConnection, registration_id: str, *, states: tuple[str, ...]) -> Any:
    row = await row_or_404(session, registrations.c.id, registration_id, "registration", lock=True)
    if row.state not in states:
        raise Conflict(f"the registration is {row.state}", code="invalid-state", state=row.state)
    return row


async def _changed(session: AsyncConnection, registration_id: str, **values: Any) -> None:
    await session.execute(
        update(registrations)
        .where(registrations.c.id == registration_id)
        .values(**values, version=registrations.c.version + 1, updated_at=func.now())
    )


async def put_document(
    kit: Kit, registration_id: str, code: str, facts: dict[str, Any], *, by: Principal
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await _locked(session, registration_id, states=("open",))
        done = await session.execute(
            update(registration_documents)
            .where(registration_documents.c.registration_id == registration_id, registration_documents.c.code == code)
            .values(received=facts["received"], note=facts.get("note"), updated_by=by.username, updated_at=func.now())
        )
        if not done.rowcount:
            raise NotFound(f"{code} is not a paper the vehicle administration office asks for")
        await _changed(session, registration_id)
        return await _view(session, registration_id)


async def book(kit: Kit, registration_id: str, facts: dict[str, Any], *, if_match: str | None) -> dict[str, Any]:
    """The appointment at the vehicle administration office (车管所)."""
    async with kit.db.transaction() as session:
        row = await _locked(session, registration_id, states=("open",))
        check_version(row.version, if_match)
        await _changed(session, registration_id, appointment_at=facts["at"], office=facts["office"])
        return await _view(session, registration_id)


async def plate(
    kit: Kit, registration_id: str, facts: dict[str, Any], *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    """REG-2: the plate, once every paper is in; publishes ``vehicle.registered``."""
    async with kit.db.transaction() as session:
        row = await _locked(session, registration_id, states=("open",))
        check_version(row.version, if_match)
        papers = (
            await session.execute(
                select(registration_documents.c.code, registration_documents.c.received)
                .where(registration_documents.c.registration_id == registration_id)
                .order_by(registration_documents.c.position)
            )
        ).all()
        missing = rules.missing([(p.code, p.received) for p in papers])
        if missing:
            raise Conflict(f"papers still missing: {', '.join(missing)}", code="documents-missing", missing=missing)
        taken = await session.scalar(
            select(registrations.c.vin).where(
                registrations.c.plate == facts["plate"],
                registrations.c.vin != row.vin,
                registrations.c.state != "cancelled",
            )
        )
        if taken is not None:
            raise Conflict(f"plate {facts['plate']} is car {taken}'s", code="plate-taken")
        registered_on = facts.get("registered_on") or calendar_today()
        if registered_on < row.delivered_on:
            raise Unprocessable(
                "a car is registered after its handover", errors=[field_error("registered_on", "before the handover")]
            )
        specialist = by.employee_no or by.username
        await _changed(
            session,
            registration_id,
            plate=facts["plate"],
            registered_on=registered_on,
            specialist_no=specialist,
            state=rules.after_plate(row.financed),
        )
        await policies.fill_plate(session, row.vin, facts["plate"])
        await outbox.publish(
            session,
            VehicleRegistered(
                registration_id=row.id,
                delivery_id=row.delivery_id,
                vin=row.vin,
                plate=facts["plate"],
                registered_on=registered_on,
                model=row.model,
                customer=CustomerRef(customer_id=row.customer_id, name=row.customer_name, mobile=row.customer_mobile),
                consultant_no=row.consultant_no,
                registered_by=specialist,
            ),
            source=kit.source,
        )
        return await _view(session, registration_id)


async def mortgage(
    kit: Kit, registration_id: str, facts: dict[str, Any], *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    """REG-3: a financed car's mortgage registered for the lender and the contract notarised; the
    loan, if paid out, moves to mortgage_registered; publishes ``vehicle.mortgaged``."""
    async with kit.db.transaction() as session:
        row = await _locked(session, registration_id, states=("open", "registered"))
        check_version(row.version, if_match)
        if not row.financed:
            raise Conflict("the car was not sold with a loan: there is no mortgage", code="not-financed")
        try:
            rules.check_mortgage(facts["notarised_on"], facts["mortgage_registered_on"], row.registered_on)
        except ValueError as exc:
            raise Conflict(str(exc), code="invalid-state") from exc
        specialist = by.employee_no or by.username
        await _changed(
            session,
            registration_id,
            notarised_on=facts["notarised_on"],
            mortgage_registered_on=facts["mortgage_registered_on"],
            state="completed",
        )
        if row.order_id is not None:
            await loans.mortgage_registered(session, row.order_id, facts["mortgage_registered_on"], by=by.username)
        await outbox.publish(
            session,
            VehicleMortgaged(
                registration_id=row.id,
                delivery_id=row.delivery_id,
                vin=row.vin,
                lender=row.lender,
                notarised_on=facts["notarised_on"],
                mortgage_registered_on=facts["mortgage_registered_on"],
                consultant_no=row.consultant_no,
                registered_by=specialist,
            ),
            source=kit.source,
        )
        return await _view(session, registration_id)


async def get(kit: Kit, registration_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await row_or_404(session, registrations.c.id, registration_id, "registration")
        return await _view(session, registration_id)


async def search(
    kit: Kit,
    *,
    vin: str | None,
    state: str | None,
    overdue: bool | None,
    limit: int,
    cursor: str | None,
    today: date | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Registrations newest first; ``overdue``: past their due day without a plate, or plated late."""
    day = today or calendar_today()
    query = select(registrations.c.id, registrations.c.created_at)
    if vin:
        query = query.where(registrations.c.vin == vin)
    if state:
        query = query.where(registrations.c.state == state)
    if overdue is not None:
        late = func.coalesce(registrations.c.registered_on, day) > registrations.c.due_on
        query = query.where(late & (registrations.c.state != "cancelled") if overdue else ~late)
    order = [registrations.c.created_at, registrations.c.id]
    async with kit.db.transaction() as session:
        return await fetch_views(session, query, order, cursor, limit, _views, descending=True)


async def _view(session: AsyncConnection, registration_id: str) -> dict[str, Any]:
    return (await _views(session, [registration_id]))[0]


async def _views(session: AsyncConnection, ids: list[str]) -> list[dict[str, Any]]:
    rows = await rows_by(session, registrations.c.id, ids)
    papers = await rows_by(
        session, registration_documents.c.registration_id, ids, order_by=registration_documents.c.position
    )
    today = calendar_today()
    views = []
    for registration_id in ids:
        row = rows[registration_id][0]
        documents = [dict(p._mapping) for p in papers[registration_id]]
        views.append(
            {
                **row._mapping,
                "overdue": row.state != "cancelled" and rules.overdue(row.due_on, row.registered_on, today),
                "documents": documents,
                "missing_documents": rules.missing([(d["code"], d["received"]) for d in documents]),
            }
        )
    return views
