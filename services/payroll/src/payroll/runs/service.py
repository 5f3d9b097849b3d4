import csv
import io
import uuid
from decimal import Decimal
from typing import Any

from servicekit.auth import Principal
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Forbidden, NotFound
from servicekit.kit import Kit
from servicekit.permissions import Permission, holds
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from payroll.employees import service as employees
from payroll.payslips import service as payslips
from payroll.periods import service as periods
from payroll.runs import rules
from payroll.runs.tables import payroll_runs, payslip_lines
from payroll.settings import Settings


async def create(kit: Kit, month: str, *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        exists = await session.scalar(select(payroll_runs.c.id).where(payroll_runs.c.month == month))
        if exists:
            raise Conflict(f"the payroll run of {month} exists: {exists}", code="run-exists", run_id=exists)
        run_id = str(uuid.uuid4())
        await session.execute(payroll_runs.insert().values(id=run_id, month=month, created_by=by))
        return await _view(session, run_id)


async def act(kit: Kit, run_id: str, action: str, *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        run = await row_or_404(session, payroll_runs.c.id, run_id, "payroll run", lock=True)
        try:
            state = rules.after(run.state, action)
        except rules.InvalidMove as exc:
            raise Conflict(str(exc), code="invalid-transition") from exc
        values: dict[str, Any] = {"state": state, "version": payroll_runs.c.version + 1}
        if action == "compute":
            await _compute(session, kit, run.id, run.month)
            values["computed_at"] = func.now()
        elif action == "approve":
            values["approved_by"] = by
        else:
            values |= {"locked_by": by, "locked_at": func.now()}
            await periods.close(session, run.month, run_id=run.id, by=by)
        await session.execute(update(payroll_runs).where(payroll_runs.c.id == run_id).values(**values))
        return await _view(session, run_id)


async def listing(kit: Kit, month: str | None) -> list[dict[str, Any]]:
    query = select(payroll_runs.c.id).order_by(payroll_runs.c.month.desc())
    if month:
        query = query.where(payroll_runs.c.month == month)
    async with kit.db.transaction() as session:
        return [await _view(session, run_id) for run_id in (await session.execute(query.limit(120))).scalars()]


async def get(kit: Kit, run_id: str) -> dict[str, Any]:
    """The run with each payslip's person and gross (HR's list to open the payslips from)."""
    async with kit.db.transaction() as session:
        run = await _view(session, run_id)
        rows = (
            await session.execute(
                select(payslip_lines.c.employee_no, func.sum(payslip_lines.c.amount).label("gross"))
                .where(payslip_lines.c.run_id == run_id)
                .group_by(payslip_lines.c.employee_no)
                .order_by(payslip_lines.c.employee_no)
            )
        ).all()
        names = await employees.names(session)
    payslips = [{"employee_no": r.employee_no, "name": names.get(r.employee_no), "gross": r.gross} for r in rows]
    return {**run, "payslips": payslips}


async def payslip(kit: Kit, run_id: str, employee_no: str, *, by: Principal) -> dict[str, Any]:
    if by.employee_no != employee_no and not holds(by, Permission.EMPLOYEES_READ):
        raise Forbidden("you may read only your own payslip")
    async with kit.db.transaction() as session:
        run = await _view(session, run_id)
        rows = (
            await session.execute(
                select(payslip_lines)
                .where(payslip_lines.c.run_id == run_id, payslip_lines.c.employee_no == employee_no)
                .order_by(payslip_lines.c.position)
            )
        ).all()
    if not rows:
        raise NotFound(f"no payslip of {employee_no} in the run of {run['month']}")
    lines = [dict(r._mapping) for r in rows]
    gross = sum((line["amount"] for line in lines), Decimal("0.00"))
    return {
        "run_id": run_id,
        "month": run["month"],
        "state": run["state"],
        "employee_no": employee_no,
        "plan_code": lines[0]["plan_code"],
        "lines": lines,
        "gross": gross,
    }


async def export_csv(kit: Kit, run_id: str) -> str:
    async with kit.db.transaction() as session:
        run = await _view(session, run_id)
        rows = (
            await session.execute(
                select(payslip_lines)
                .where(payslip_lines.c.run_id == run_id)
                .order_by(payslip_lines.c.employee_no, payslip_lines.c.position)
            )
        ).all()
        names = await employees.names(session)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "employee_no", "name", "code", "description", "amount", "plan", "source_event_ids"])
    for r in rows:
        writer.writerow(
            [
                run["month"],
                r.employee_no,
                names.get(r.employee_no, ""),
                r.code,
                r.description,
                f"{r.amount:.2f}",
                r.plan_code,
                " ".join(r.source_event_ids),
            ]
        )
    return "\ufeff" + out.getvalue()  # BOM: Excel opens the Chinese names right


async def _view(session: AsyncConnection, run_id: str) -> dict[str, Any]:
    run = await row_or_404(session, payroll_runs.c.id, run_id, "payroll run")
    totals = (
        await session.execute(
            select(
                func.count(func.distinct(payslip_lines.c.employee_no)),
                func.coalesce(func.sum(payslip_lines.c.amount), 0),
            ).where(payslip_lines.c.run_id == run_id)
        )
    ).one()
    return {**run._mapping, "employees": totals[0], "gross_total": Decimal(totals[1]).quantize(Decimal("0.01"))}


async def _compute(session: AsyncConnection, kit: Kit, run_id: str, month: str) -> None:
    """Recompute every payslip of the month from the recorded events and inputs: same inputs, same lines."""
    computed = await payslips.compute(session, month, default_plan=_default_plan(kit), paid=paid_for)
    await session.execute(delete(payslip_lines).where(payslip_lines.c.run_id == run_id))
    rows = [
        {
            "run_id": run_id,
            "employee_no": slip.employee_no,
            "position": n,
            "code": line.code,
            "description": line.description,
            "amount": line.amount,
            "basis": line.basis,
            "source_event_ids": list(line.source_event_ids),
            "plan_code": slip.plan_code,
        }
        for slip in computed.payslips
        for n, line in enumerate(slip.lines)
    ]
    if rows:
        await session.execute(payslip_lines.insert(), rows)


async def preview(kit: Kit, employee_no: str, month: str) -> payslips.Computed:
    """The payslip ``employee_no`` would get if ``month`` were computed now: the run's own computation."""
    async with kit.db.transaction() as session:
        return await payslips.compute(session, month, default_plan=_default_plan(kit), paid=paid_for, only=employee_no)


def _default_plan(kit: Kit) -> str:
    settings = kit.settings
    assert isinstance(settings, Settings)
    return settings.default_plan


async def paid_for(session: AsyncConnection, event_ids: list[str]) -> dict[str, Decimal]:
    """What each car earned in locked months: the lines of their payslips that name its delivery event."""
    if not event_ids:
        return {}
    rows = (
        await session.execute(
            select(payslip_lines.c.source_event_ids, payslip_lines.c.amount).where(
                payslip_lines.c.run_id.in_(await periods.closed_runs(session)),
                payslip_lines.c.source_event_ids.overlap(event_ids),
                payslip_lines.c.code != "clawback",
            )
        )
    ).all()
    paid: dict[str, Decimal] = {}
    for ids, amount in rows:
        for event_id in ids:
            if event_id in event_ids:
                paid[event_id] = paid.get(event_id, Decimal("0")) + amount
    return paid
