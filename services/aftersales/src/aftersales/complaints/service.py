import uuid
from datetime import UTC, datetime
from typing import Any

from servicekit import staff
from servicekit.auth import Principal
from servicekit.concurrency import check_version
from servicekit.db import row_or_404
from servicekit.errors import Conflict
from servicekit.kit import Kit
from servicekit.pagination import decode_cursor, page_of
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.complaints import rules
from aftersales.complaints.tables import complaints


async def record(session: AsyncConnection, facts: dict[str, Any], *, by: str) -> str:
    """Record a complaint in the caller's transaction (also used when a follow-up call goes badly)."""
    complaint_id = str(uuid.uuid4())
    await session.execute(
        complaints.insert().values(
            id=complaint_id, created_by=by, escalated_to=rules.escalation(facts["severity"]), **facts
        )
    )
    return complaint_id


async def create(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        if facts.get("assignee_no"):
            await staff.active_member(session, facts["assignee_no"], field="assignee_no", on=datetime.now(UTC).date())
            facts = {**facts, "state": "assigned"}
        complaint_id = await record(session, facts, by=by.username)
        return await _view(session, complaint_id)


async def act(
    kit: Kit, complaint_id: str, action: str, *, by: Principal, if_match: str | None, **values: Any
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await row_or_404(session, complaints.c.id, complaint_id, "complaint", lock=True)
        check_version(row.version, if_match)
        try:
            state = rules.next_state(row.state, action)
        except rules.InvalidAction as exc:
            raise Conflict(str(exc), code="invalid-transition", allowed=exc.allowed) from exc
        if action == "assign":
            await staff.active_member(session, values["assignee_no"], field="assignee_no", on=datetime.now(UTC).date())
        changes: dict[str, Any] = {"state": state, "version": complaints.c.version + 1, **values}
        if action == "resolve":
            changes["resolved_at"] = func.now()
        if action.startswith("callback"):
            changes["callbacks"] = complaints.c.callbacks + 1
            if state == "closed":
                changes["closed_at"] = func.now()
        await session.execute(update(complaints).where(complaints.c.id == complaint_id).values(**changes))
        return await _view(session, complaint_id)


async def get(kit: Kit, complaint_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        return await _view(session, complaint_id)


async def search(
    kit: Kit, *, state: str | None, vin: str | None, escalated: bool | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    query = select(complaints).order_by(complaints.c.created_at.desc(), complaints.c.id).limit(limit + 1)
    if state:
        query = query.where(complaints.c.state == state)
    if vin:
        query = query.where(complaints.c.vin == vin)
    if escalated is not None:
        query = query.where(
            complaints.c.escalated_to.is_not(None) if escalated else complaints.c.escalated_to.is_(None)
        )
    after = decode_cursor(cursor)
    if after:
        created, last_id = datetime.fromisoformat(after[0]), after[1]
        query = query.where(
            (complaints.c.created_at < created) | ((complaints.c.created_at == created) & (complaints.c.id > last_id))
        )
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    page, next_cursor = page_of(list(rows), limit, lambda r: [r.created_at.isoformat(), r.id])
    return [_shape(r) for r in page], next_cursor


async def _view(session: AsyncConnection, complaint_id: str) -> dict[str, Any]:
    return _shape(await row_or_404(session, complaints.c.id, complaint_id, "complaint"))


def _shape(row: Any) -> dict[str, Any]:
    view = dict(row._mapping)
    view["hours_to_close"] = rules.hours_to_close(row.created_at, row.closed_at)
    view["allowed_actions"] = sorted(a for a, moves in rules.MOVES.items() if row.state in moves)
    return view


async def of_vehicles(session: AsyncConnection, vins: list[str]) -> list[Any]:
    """Every complaint about these cars, newest first."""
    query = select(complaints).where(complaints.c.vin.in_(vins)).order_by(complaints.c.created_at.desc())
    return list((await session.execute(query)).all())
