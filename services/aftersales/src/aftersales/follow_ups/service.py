import uuid
from datetime import date, datetime
from typing import Any

from servicekit.auth import Principal
from servicekit.calendar import business_date
from servicekit.calendar import today as calendar_today
from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.complaints import service as complaints
from aftersales.follow_ups import rules
from aftersales.follow_ups.tables import follow_ups
from aftersales.vehicles import service as vehicles

_OPEN_CALL = insert(follow_ups).on_conflict_do_nothing(constraint="follow_ups_once_per_handover")
"""One call per handover, built once: the call's values go with each execution."""


async def open_call(
    session: AsyncConnection,
    *,
    kind: str,
    vin: str,
    source_id: str,
    source_event_id: str,
    handed_over_at: datetime,
    staff_no: str | None = None,
) -> None:
    await session.execute(
        _OPEN_CALL,
        {
            "id": str(uuid.uuid4()),
            "kind": kind,
            "vin": vin,
            "source_id": source_id,
            "source_event_id": source_event_id,
            "handed_over_at": handed_over_at,
            "due_date": rules.follow_up_due_date(handed_over_at),
            "staff_no": staff_no,
        },
    )


async def cancel_call(session: AsyncConnection, *, kind: str, source_id: str) -> None:
    await session.execute(
        update(follow_ups)
        .where(follow_ups.c.kind == kind, follow_ups.c.source_id == source_id, follow_ups.c.status == "open")
        .values(status="cancelled")
    )


async def record_attempt(kit: Kit, call_id: str, attempt: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """One call to the customer; an unhappy answer opens a complaint in the same transaction."""
    async with kit.db.transaction() as session:
        call = await row_or_404(session, follow_ups.c.id, call_id, "follow-up", lock=True)
        if call.status != "open":
            raise Conflict(f"the follow-up call is {call.status}; only open calls are made", code="invalid-state")
        status, attempts = rules.after_attempt(call.attempts, attempt["outcome"])
        changes: dict[str, Any] = {
            "status": status,
            "attempts": attempts,
            "outcome": attempt["outcome"],
            "caller": by.username,
            "called_at": func.now(),
        }
        if attempt["outcome"] == "reached":
            changes |= {"scores": attempt["scores"], "comments": attempt["comments"]}
            if rules.is_unhappy(attempt["scores"], attempt["unhappy"]):
                changes["complaint_id"] = await complaints.record(
                    session,
                    {
                        "vin": call.vin,
                        "source": "follow_up",
                        "severity": attempt["severity"],
                        "description": attempt["comments"] or "unhappy answer on the follow-up call",
                        "follow_up_id": call.id,
                        "repair_order_id": call.source_id if call.kind == "service" else None,
                    },
                    by=by.username,
                )
        row = (
            await session.execute(
                update(follow_ups).where(follow_ups.c.id == call_id).values(**changes).returning(*follow_ups.c)
            )
        ).one()
    return _shape(row, calendar_today())


async def monthly_summary(kit: Kit, month: str) -> dict[str, Any]:
    first = date.fromisoformat(f"{month}-01")
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(follow_ups).where(
                    follow_ups.c.due_date >= first, follow_ups.c.due_date < after, follow_ups.c.status != "cancelled"
                )
            )
        ).all()
    calls = [
        rules.Call(
            status=r.status,
            due_date=r.due_date,
            called_on=business_date(r.called_at) if r.called_at else None,
            staff_no=r.staff_no,
            scores=r.scores or {},
        )
        for r in rows
    ]
    return {"month": month, **rules.summarize(calls)}


def _shape(row: Any, today: date) -> dict[str, Any]:
    return {**row._mapping, "overdue": rules.is_overdue(row.due_date, row.status, today)}


async def search(
    kit: Kit,
    *,
    vin: str | None,
    status: str | None,
    due_by: date | None,
    limit: int,
    cursor: str | None,
    overdue: bool | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    today = calendar_today()
    query = select(follow_ups)
    if vin:
        query = query.where(follow_ups.c.vin == vin)
    if status:
        query = query.where(follow_ups.c.status == status)
    if due_by:
        query = query.where(follow_ups.c.due_date <= due_by)
    if overdue is not None:
        late = (follow_ups.c.status == "open") & (follow_ups.c.due_date < today)
        query = query.where(late if overdue else ~late)
    order = (follow_ups.c.due_date, follow_ups.c.id)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit)
        cars = await vehicles.owners(session, (r.vin for r in page))
    return [{**_shape(r, today), **_owner(cars.get(r.vin))} for r in page], next_cursor


def _owner(car: Any | None) -> dict[str, Any]:
    if car is None:
        return {}
    return {
        "model": car.model,
        "owner_name": car.owner_name,
        "owner_mobile": car.owner_mobile,
        "owner_customer_id": car.owner_customer_id,
    }


async def of_vehicles(session: AsyncConnection, vins: list[str]) -> list[Any]:
    """Every call about these cars, newest first."""
    query = select(follow_ups).where(follow_ups.c.vin.in_(vins)).order_by(follow_ups.c.due_date.desc())
    return list((await session.execute(query)).all())


async def redate_open_calls(session: AsyncConnection) -> int:
    """AS-4 with the calendar now installed: each open call's due date again from its handover; calls
    made (done, unreachable, cancelled) keep theirs. How many moved."""
    rows = (
        await session.execute(
            select(follow_ups.c.id, follow_ups.c.handed_over_at, follow_ups.c.due_date)
            .where(follow_ups.c.status == "open")
            .with_for_update()
        )
    ).all()
    moved = {r.id: due for r in rows if (due := rules.follow_up_due_date(r.handed_over_at)) != r.due_date}
    if moved:
        await session.execute(
            update(follow_ups)
            .where(follow_ups.c.id.in_(list(moved)))
            .values(due_date=case(moved, value=follow_ups.c.id))
        )
    return len(moved)
