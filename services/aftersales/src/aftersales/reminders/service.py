import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from servicekit import scheduler
from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.reminders import rules
from aftersales.reminders.tables import maintenance_reminders, service_intervals
from aftersales.vehicles import service as vehicles

JOB = "maintenance.remind"


second_days_before = rules.SECOND_DAYS_BEFORE
"""The store's setting (``AFTERSALES_SECOND_REMINDER_DAYS_BEFORE``), set at start-up by ``main``."""


_INTERVAL = select(service_intervals.c.months, service_intervals.c.km).where(
    service_intervals.c.model == bindparam("model")
)


async def interval_of(session: AsyncConnection, model: str) -> tuple[int, int]:
    row = (await session.execute(_INTERVAL, {"model": model})).first()
    return (row.months, row.km) if row else (rules.DEFAULT_INTERVAL_MONTHS, rules.DEFAULT_INTERVAL_KM)


async def plan_after_service(
    session: AsyncConnection, *, vin: str, model: str, serviced_on: date, readings: Sequence[tuple[date, int]] = ()
) -> date:
    """Schedule the two reminders of the next maintenance; each is created once, on its day. The car's
    mileage ``readings`` (day, km) tell how fast it is driven; none for a new car."""
    months, km = await interval_of(session, model)
    due = rules.next_due_date(serviced_on, months, km, rules.km_per_day(list(readings)))
    await scheduler.schedule_many(
        session,
        [
            (
                JOB,
                f"{vin}:{due.isoformat()}:{reminder.kind}",
                rules.remind_at(reminder.remind_on),
                {
                    "vin": vin,
                    "due_date": due.isoformat(),
                    "kind": reminder.kind,
                    "remind_on": reminder.remind_on.isoformat(),
                },
            )
            for reminder in rules.reminders_for(due, second_days_before)
        ],
    )
    return due


async def car_came_in(
    session: AsyncConnection, *, vin: str, model: str, serviced_on: date, readings: Sequence[tuple[date, int]]
) -> date:
    """A maintenance visit: reminders of the old due date stop, the next maintenance is planned."""
    await scheduler.cancel_prefix(session, JOB, f"{vin}:")
    await session.execute(
        update(maintenance_reminders)
        .where(maintenance_reminders.c.vin == vin, maintenance_reminders.c.status == "open")
        .values(status="closed")
    )
    return await plan_after_service(session, vin=vin, model=model, serviced_on=serviced_on, readings=readings)


async def remind(session: AsyncConnection, payload: dict[str, Any]) -> None:
    """Due-job handler: the reminder appears on the callers' list, unless the sale was cancelled."""
    status = await vehicles.sold_status(session, payload["vin"])
    if status is None or status == "sale_cancelled":
        return
    await session.execute(
        insert(maintenance_reminders)
        .values(
            id=str(uuid.uuid4()),
            vin=payload["vin"],
            due_date=date.fromisoformat(payload["due_date"]),
            kind=payload["kind"],
            remind_on=date.fromisoformat(payload["remind_on"]),
        )
        .on_conflict_do_nothing(constraint="maintenance_reminders_once")
    )


async def record_result(kit: Kit, reminder_id: str, result: str, notes: str, *, by: str) -> dict[str, Any]:
    """What came of reminding the customer; the reminder leaves the open list."""
    async with kit.db.transaction() as session:
        row = await row_or_404(session, maintenance_reminders.c.id, reminder_id, "reminder", lock=True)
        if row.status != "open":
            raise Conflict(f"the reminder is {row.status}", code="invalid-state")
        row = (
            await session.execute(
                update(maintenance_reminders)
                .where(maintenance_reminders.c.id == reminder_id)
                .values(status="done", result=result, result_notes=notes, result_by=by, result_at=func.now())
                .returning(*maintenance_reminders.c)
            )
        ).one()
    return dict(row._mapping)


async def set_interval(kit: Kit, model: str, months: int, km: int, *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        stmt = insert(service_intervals).values(model=model, months=months, km=km, updated_by=by)
        row = (
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[service_intervals.c.model],
                    set_={"months": months, "km": km, "updated_by": by, "updated_at": func.now()},
                ).returning(*service_intervals.c)
            )
        ).one()
    return dict(row._mapping)


async def list_for(kit: Kit, vin: str) -> list[dict[str, Any]]:
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(maintenance_reminders)
                .where(maintenance_reminders.c.vin == vin)
                .order_by(maintenance_reminders.c.remind_on, maintenance_reminders.c.kind)
            )
        ).all()
    return [dict(r._mapping) for r in rows]


async def missed(session: AsyncConnection, vins: list[str], today: date) -> dict[str, int]:
    """AS-7: each car's due reminders left open past their date."""
    query = (
        select(maintenance_reminders.c.vin, func.count().label("missed"))
        .where(
            maintenance_reminders.c.vin.in_(vins),
            maintenance_reminders.c.kind == "due",
            maintenance_reminders.c.status == "open",
            maintenance_reminders.c.due_date < today,
        )
        .group_by(maintenance_reminders.c.vin)
    )
    return {r.vin: r.missed for r in (await session.execute(query)).all()}
