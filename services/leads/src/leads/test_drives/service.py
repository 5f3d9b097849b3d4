"""Test drives (LEAD-6): dedicated cars, one booking per car per slot (a unique index decides between
two consultants booking at once), the signed agreement and the route recorded when it is done."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fours_contracts import TestDriveDone
from servicekit import outbox, staff
from servicekit.auth import Principal
from servicekit.calendar import business_date, midnight
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.roles import SALES_STAFF
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from leads import scope
from leads.customers import service as customers
from leads.prospects import service as prospects
from leads.test_drives import rules
from leads.test_drives.tables import test_drive_cars, test_drives


async def add_car(kit: Kit, facts: dict[str, Any]) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        stmt = insert(test_drive_cars).values(**facts)
        row = (
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[test_drive_cars.c.vin], set_={k: stmt.excluded[k] for k in facts if k != "vin"}
                ).returning(*test_drive_cars.c)
            )
        ).one()
    return dict(row._mapping)


async def cars(kit: Kit) -> list[dict[str, Any]]:
    async with kit.db.transaction() as session:
        rows = (await session.execute(select(test_drive_cars).order_by(test_drive_cars.c.model))).all()
    return [dict(r._mapping) for r in rows]


async def book(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    try:
        start = rules.check_slot(facts["slot_start"])
    except rules.BadSlot as exc:
        raise Unprocessable(str(exc), errors=[field_error("slot_start", str(exc))]) from exc
    consultant = facts.get("consultant_no") or by.employee_no
    async with kit.db.transaction() as session:
        car = (await session.execute(select(test_drive_cars).where(test_drive_cars.c.vin == facts["car_vin"]))).first()
        if car is None or not car.active:
            raise Unprocessable(
                "no such test-drive car", errors=[field_error("car_vin", "not an active test-drive car")]
            )
        customer = await customers.row(session, facts["customer_id"])
        if customer is None:
            raise Unprocessable("unknown customer", errors=[field_error("customer_id", "no such customer")])
        await scope.check_visible(session, by, customer.owner_no, "customers")
        if consultant is None:
            raise Unprocessable("who takes the customer out?", errors=[field_error("consultant_no", "required")])
        await staff.active_member(
            session, consultant, field="consultant_no", on=business_date(start), roles=set(SALES_STAFF)
        )
        lead_id = facts.get("lead_id")
        lead = await prospects.lead_row(session, lead_id) if lead_id is not None else None
        if lead_id is not None and (lead is None or lead.customer_id != customer.id):
            raise Unprocessable("the lead is not this customer's", errors=[field_error("lead_id", "no such lead")])
        row = (
            await session.execute(
                insert(test_drives)
                .values(
                    id=str(uuid.uuid4()),
                    car_vin=car.vin,
                    slot_start=start,
                    slot_minutes=rules.SLOT_MINUTES,
                    customer_id=customer.id,
                    lead_id=lead_id,
                    consultant_no=consultant,
                    created_by=by.username,
                )
                .on_conflict_do_nothing(
                    index_elements=[test_drives.c.car_vin, test_drives.c.slot_start],
                    index_where=text("status IN ('booked', 'done')"),
                )
                .returning(*test_drives.c)
            )
        ).first()
        if row is None:
            raise Conflict(f"{car.model} {car.vin} is already booked at {start:%Y-%m-%d %H:%M}", code="slot-taken")
    return dict(row._mapping)


async def complete(kit: Kit, booking_id: str, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    try:
        rules.check_done(facts["agreement_signed"], facts["route"])
    except ValueError as exc:
        raise Unprocessable(str(exc), errors=[field_error("agreement_signed", str(exc))]) from exc
    async with kit.db.transaction() as session:
        row = await _locked(session, booking_id, by)
        if row.status != "booked":
            raise Conflict(f"the test drive is {row.status}", code="invalid-state")
        now = datetime.now(UTC)
        row = (
            await session.execute(
                update(test_drives)
                .where(test_drives.c.id == booking_id)
                .values(
                    status="done", agreement_signed=True, route=facts["route"], outcome=facts["outcome"], driven_at=now
                )
                .returning(*test_drives.c)
            )
        ).one()
        car = (await session.execute(select(test_drive_cars).where(test_drive_cars.c.vin == row.car_vin))).one()
        await prospects.advance(session, kit, row.lead_id, "test_driven", by=by.username)
        await outbox.publish(
            session,
            TestDriveDone(
                booking_id=row.id,
                customer_id=row.customer_id,
                lead_id=row.lead_id,
                consultant_no=row.consultant_no,
                car_vin=row.car_vin,
                model=car.model,
                route=row.route,
                outcome=row.outcome,
                driven_at=now,
            ),
            source=kit.source,
        )
    return dict(row._mapping)


async def cancel(kit: Kit, booking_id: str, status: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _locked(session, booking_id, by)
        if row.status != "booked":
            raise Conflict(f"the test drive is {row.status}", code="invalid-state")
        row = (
            await session.execute(
                update(test_drives)
                .where(test_drives.c.id == booking_id)
                .values(status=status)
                .returning(*test_drives.c)
            )
        ).one()
    return dict(row._mapping)


async def schedule(kit: Kit, day: date, *, car_vin: str | None, by: Principal) -> list[dict[str, Any]]:
    start = midnight(day)
    query = select(test_drives).where(
        test_drives.c.slot_start >= start, test_drives.c.slot_start < start + timedelta(days=1)
    )
    if car_vin:
        query = query.where(test_drives.c.car_vin == car_vin)
    query = scope.narrowed(query, by, test_drives.c.consultant_no)
    async with kit.db.transaction() as session:
        rows = (await session.execute(query.order_by(test_drives.c.slot_start, test_drives.c.car_vin))).all()
    return [dict(r._mapping) for r in rows]


async def _locked(session: AsyncConnection, booking_id: str, by: Principal) -> Any:
    row = await row_or_404(session, test_drives.c.id, booking_id, "test drive", lock=True)
    await scope.check_visible(session, by, row.consultant_no, "test drives")
    return row


async def move_customer(session: AsyncConnection, duplicate_id: str, survivor_id: str) -> None:
    await session.execute(
        update(test_drives).where(test_drives.c.customer_id == duplicate_id).values(customer_id=survivor_id)
    )
