import uuid
from datetime import date, datetime, timedelta
from typing import Any

from servicekit import staff
from servicekit.auth import Principal
from servicekit.calendar import midnight
from servicekit.concurrency import check_version
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Unprocessable, field_error
from servicekit.kit import Kit
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.appointments import rules
from aftersales.appointments.tables import appointments
from aftersales.repair_orders.service import ADVISORS
from aftersales.settings import Settings


def capacity(kit: Kit) -> rules.Capacity:
    settings = kit.settings
    assert isinstance(settings, Settings)
    return rules.Capacity(
        bays=settings.workshop_bays,
        per_advisor=settings.advisor_per_slot,
        slot_minutes=settings.slot_minutes,
        opens=settings.workshop_opens,
        closes=settings.workshop_closes,
    )


async def book(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    cap = capacity(kit)
    starts_at = _slot(facts["starts_at"], cap)
    async with kit.db.transaction() as session:
        await staff.active_member(
            session, facts["advisor_no"], field="advisor_no", on=starts_at.date(), roles=set(ADVISORS)
        )
        await _take(session, starts_at, facts["advisor_no"], cap, excluding=None)
        appointment_id = str(uuid.uuid4())
        await session.execute(
            appointments.insert().values(id=appointment_id, created_by=by.username, **{**facts, "starts_at": starts_at})
        )
        return await _view(session, appointment_id)


async def reschedule(kit: Kit, appointment_id: str, new_start: datetime, *, if_match: str | None) -> dict[str, Any]:
    cap = capacity(kit)
    starts_at = _slot(new_start, cap)
    async with kit.db.transaction() as session:
        row = await row_or_404(session, appointments.c.id, appointment_id, "appointment", lock=True)
        check_version(row.version, if_match)
        if row.status != "booked":
            raise Conflict(f"an appointment that is {row.status} cannot be rescheduled", code="invalid-state")
        await _take(session, starts_at, row.advisor_no, cap, excluding=appointment_id)
        await session.execute(
            update(appointments)
            .where(appointments.c.id == appointment_id)
            .values(starts_at=starts_at, version=appointments.c.version + 1)
        )
        return await _view(session, appointment_id)


async def act(kit: Kit, appointment_id: str, action: str, *, if_match: str | None) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, appointments.c.id, appointment_id, "appointment", lock=True)
        check_version(row.version, if_match)
        try:
            status = rules.next_status(row.status, action)
        except ValueError as exc:
            raise Conflict(str(exc), code="invalid-transition") from exc
        await session.execute(
            update(appointments)
            .where(appointments.c.id == appointment_id)
            .values(status=status, version=appointments.c.version + 1)
        )
        return await _view(session, appointment_id)


async def day_plan(kit: Kit, day: date, advisor_no: str | None) -> dict[str, Any]:
    cap = capacity(kit)
    slots = rules.slots(day, cap)
    start = midnight(day)
    query = select(appointments).where(
        appointments.c.starts_at >= start, appointments.c.starts_at < start + timedelta(days=1)
    )
    async with kit.db.transaction() as session:
        rows = (await session.execute(query.order_by(appointments.c.starts_at, appointments.c.id))).all()
    booked = [r for r in rows if r.status == "booked"]
    plan = []
    for start in slots:
        advisors = [r.advisor_no for r in booked if r.starts_at == start]
        plan.append(
            {
                "starts_at": start,
                "booked": len(advisors),
                "free_bays": max(cap.bays - len(advisors), 0),
                "busy_advisors": sorted(set(advisors)),
            }
        )
    items = [dict(r._mapping) for r in rows if advisor_no is None or r.advisor_no == advisor_no]
    return {"day": day, "slots": plan, "items": items}


def _slot(starts_at: datetime, cap: rules.Capacity) -> datetime:
    try:
        return rules.check_slot(starts_at, cap)
    except rules.NotASlot as exc:
        raise Unprocessable(str(exc), errors=[field_error("starts_at", str(exc))]) from exc


async def _take(
    session: AsyncConnection, starts_at: datetime, advisor_no: str, cap: rules.Capacity, *, excluding: str | None
) -> None:
    """Serialise bookings of one slot (advisory lock), then check the capacity left in it."""
    await session.execute(
        select(func.pg_advisory_xact_lock(func.hashtext(f"appointment-slot:{starts_at.isoformat()}")))
    )
    query = select(appointments.c.advisor_no).where(
        appointments.c.starts_at == starts_at, appointments.c.status == "booked"
    )
    if excluding:
        query = query.where(appointments.c.id != excluding)
    booked = list((await session.execute(query)).scalars())
    reason = rules.refusal(booked, advisor_no, cap)
    if reason:
        text = {"bays_full": "every bay is booked", "advisor_busy": f"advisor {advisor_no} is booked"}[reason]
        raise Conflict(f"{text} at {starts_at:%Y-%m-%d %H:%M}", code="overbooked", reason=reason)


async def _view(session: AsyncConnection, appointment_id: str) -> dict[str, Any]:
    row = (await session.execute(select(appointments).where(appointments.c.id == appointment_id))).one()
    return dict(row._mapping)
