import csv
import io
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from servicekit.auth import Principal
from servicekit.calendar import business_date
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Forbidden, NotFound
from servicekit.kit import Kit
from servicekit.permissions import Permission, holds
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.commissions.tables import car_sales, renewals_won, service_jobs
from payroll.employees.tables import employees
from payroll.plans import rules as plan_rules
from payroll.plans import service as plans
from payroll.plans.tables import adjustments, appraisals, plan_assignments, store_figures, targets
from payroll.runs import rules
from payroll.runs.tables import payroll_runs, payslip_lines
from payroll.settings import Settings

SALES_ROLES = {"sales_consultant", "showroom_supervisor", "key_account_specialist"}


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
        await session.execute(update(payroll_runs).where(payroll_runs.c.id == run_id).values(**values))
        return await _view(session, run_id)


async def listing(kit: Kit, month: str | None) -> list[dict[str, Any]]:
    query = select(payroll_runs.c.id).order_by(payroll_runs.c.month.desc())
    if month:
        query = query.where(payroll_runs.c.month == month)
    async with kit.db.transaction() as session:
        return [await _view(session, run_id) for run_id in (await session.execute(query.limit(120))).scalars()]


async def get(kit: Kit, run_id: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        return await _view(session, run_id)


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
                select(payslip_lines, employees.c.name)
                .join(employees, employees.c.employee_no == payslip_lines.c.employee_no)
                .where(payslip_lines.c.run_id == run_id)
                .order_by(payslip_lines.c.employee_no, payslip_lines.c.position)
            )
        ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "employee_no", "name", "code", "description", "amount", "plan", "source_event_ids"])
    for r in rows:
        writer.writerow(
            [
                run["month"],
                r.employee_no,
                r.name,
                r.code,
                r.description,
                f"{r.amount:.2f}",
                r.plan_code,
                " ".join(r.source_event_ids),
            ]
        )
    return "\ufeff" + out.getvalue()  # BOM: Excel opens the Chinese names right


async def _view(session: AsyncSession, run_id: str) -> dict[str, Any]:
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


async def _compute(session: AsyncSession, kit: Kit, run_id: str, month: str) -> None:
    """Recompute every payslip of the month from the recorded events and inputs: same inputs, same lines."""
    settings = kit.settings
    assert isinstance(settings, Settings)
    first = date.fromisoformat(f"{month}-01")
    last = plan_rules.month_end(month)
    staff = (
        await session.execute(
            select(employees).where(
                employees.c.hired_on <= last, or_(employees.c.left_on.is_(None), employees.c.left_on >= first)
            )
        )
    ).all()
    sales = (
        await session.execute(
            select(car_sales).where(
                or_(
                    and_(
                        car_sales.c.counted_month == month,
                        or_(car_sales.c.cancelled_event_id.is_(None), car_sales.c.clawback_month.is_not(None)),
                    ),
                    car_sales.c.clawback_month == month,
                )
            )
        )
    ).all()
    counted = [s for s in sales if s.counted_month == month]
    clawed = [s for s in sales if s.clawback_month == month]
    goal = {r.employee_no: r for r in (await session.execute(select(targets).where(targets.c.month == month))).all()}
    marks = (await session.execute(select(appraisals).where(appraisals.c.month == month))).all()
    scores = {r.employee_no: r.score for r in marks}
    sheets = {r.employee_no: r.sheet_score for r in marks if r.sheet_score is not None}
    figures = (await session.execute(select(store_figures).where(store_figures.c.month == month))).first()
    store = plan_rules.StoreFigures(**{k: getattr(figures, k) for k in _STORE_FIGURES}) if figures else None
    jobs = (await session.execute(select(service_jobs).where(service_jobs.c.counted_month == month))).all()
    won = (await session.execute(select(renewals_won).where(renewals_won.c.counted_month == month))).all()
    station_output = sum((j.total_amount for j in jobs), Decimal("0.00"))
    showroom_sales = [s for s in counted if s.channel != "online"]
    store_penetration = (
        Decimal(sum(1 for s in showroom_sales if s.coverages)) / Decimal(len(showroom_sales))
        if showroom_sales
        else None
    )
    manual = (
        await session.execute(
            select(adjustments).where(adjustments.c.month == month).order_by(adjustments.c.created_at)
        )
    ).all()
    roles = {e.employee_no: e.role for e in staff}
    showroom_counts = Counter(
        s.consultant_no for s in counted if s.channel != "online" and roles.get(s.consultant_no) in SALES_ROLES
    )
    best = rules.top_sellers(dict(showroom_counts))
    paid_back = await _paid_lines(session, [s.delivered_event_id for s in clawed])

    cars_of = _group(counted, "consultant_no")
    jobs_of = _group(jobs, "advisor_no")
    won_of = _group(won, "employee_no")
    clawed_of = _group(clawed, "consultant_no")
    manual_of = _group(manual, "employee_no")
    plan_of = await _plans_of(session, month, settings.default_plan)

    await session.execute(delete(payslip_lines).where(payslip_lines.c.run_id == run_id))
    rows: list[dict[str, Any]] = []
    for person in staff:
        no = person.employee_no
        plan = await plan_of(no)
        mine, my_jobs, target = cars_of.get(no, []), jobs_of.get(no, []), goal.get(no)
        late = {s.delivered_event_id: s.month for s in mine if s.month != month}
        facts = plan_rules.Month(
            month=month,
            base_wage=person.base_wage,
            performance_wage=person.performance_wage,
            hired_on=person.hired_on,
            cars=tuple(_car(s) for s in mine),
            target_units=int(target.units) if target is not None and target.units else None,
            appraisal_score=scores.get(no, Decimal("100")),
            top_seller=no in best,
            online_specialist=person.role == "online_specialist",
            bottles=sum(j.product_bottles for j in my_jobs),
            bottle_event_ids=tuple(j.completed_event_id for j in my_jobs if j.product_bottles),
            output=sum((j.total_amount for j in my_jobs), Decimal("0.00")),
            output_target=target.output if target is not None else None,
            renewals=tuple(plan_rules.Renewal(r.won_event_id, r.vin, r.commercial) for r in won_of.get(no, [])),
            sheet_score=sheets.get(no, Decimal("100")),
            store=store,
            station_output=station_output,
            store_penetration=store_penetration,
        )
        lines = [_late(line, late) for line in plan_rules.evaluate(plan, facts)]
        for sale in clawed_of.get(no, []):
            if paid_back.get(sale.delivered_event_id):
                lines.append(
                    plan_rules.Line(
                        "clawback",
                        f"cancelled sale {sale.vin}, paid in {sale.counted_month} (PAY-11)",
                        -paid_back[sale.delivered_event_id],
                        {"vin": sale.vin, "paid_in": sale.counted_month},
                        (sale.cancelled_event_id, sale.delivered_event_id),
                    )
                )
        for adjustment in manual_of.get(no, []):
            lines.append(
                plan_rules.Line(
                    "adjustment", adjustment.reason, plan_rules.money(adjustment.amount), {"by": adjustment.created_by}
                )
            )
        rows += [
            {
                "run_id": run_id,
                "employee_no": person.employee_no,
                "position": n,
                "code": line.code,
                "description": line.description,
                "amount": line.amount,
                "basis": line.basis,
                "source_event_ids": list(line.source_event_ids),
                "plan_code": plan.code,
            }
            for n, line in enumerate(lines)
        ]
    if rows:
        await session.execute(payslip_lines.insert(), rows)


async def _plans_of(session: AsyncSession, month: str, default: str) -> Callable[[str], Awaitable[plan_rules.Plan]]:
    """Each employee's plan in force in ``month``, resolving every plan code once."""
    assigned: dict[str, str] = {}
    rows = await session.execute(
        select(plan_assignments.c.employee_no, plan_assignments.c.plan_code)
        .where(plan_assignments.c.from_month <= month)
        .order_by(plan_assignments.c.employee_no, plan_assignments.c.from_month)
    )
    for employee_no, code in rows.all():
        assigned[employee_no] = code  # the latest assignment wins
    resolved: dict[str, plan_rules.Plan] = {}

    async def plan_of(employee_no: str) -> plan_rules.Plan:
        code = assigned.get(employee_no, default)
        if code not in resolved:
            plan = await plans.plan_for(session, code, month)
            if plan is None:
                raise Conflict(f"plan {code} of {employee_no} is not in force in {month}", code="plan-missing")
            resolved[code] = plan
        return resolved[code]

    return plan_of


def _group(rows: Iterable[Any], key: str) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


async def _paid_lines(session: AsyncSession, event_ids: list[str]) -> dict[str, Decimal]:
    """What each car earned in locked months: the lines that name its delivery event."""
    if not event_ids:
        return {}
    rows = (
        await session.execute(
            select(payslip_lines.c.source_event_ids, payslip_lines.c.amount)
            .join(payroll_runs, payroll_runs.c.id == payslip_lines.c.run_id)
            .where(
                payroll_runs.c.state == "locked",
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


def _car(sale: Any) -> plan_rules.Car:
    return plan_rules.Car(
        event_id=sale.delivered_event_id,
        vin=sale.vin,
        grade=sale.grade,
        model=sale.model or "",
        channel=sale.channel,
        price=sale.price or Decimal(0),
        floor_price=sale.floor_price or Decimal(0),
        delivered_on=business_date(sale.delivered_at),
        loan_fee=sale.loan_fee,
        coverages=tuple(sale.coverages or ()),
        accessories_price=sale.accessories_price,
        accessories_cost=sale.accessories_cost,
    )


_STORE_FIGURES = (
    "aftersales_net_profit",
    "aftersales_net_profit_target",
    "parts_sales",
    "maintenance_products_sales",
    "parts_office_costs",
    "parts_profit",
    "parts_profit_target",
    "parts_sheet_score",
)


def _late(line: plan_rules.Line, late: dict[str, str]) -> plan_rules.Line:
    months = {late[e] for e in line.source_event_ids if e in late}
    if not months:
        return line
    return plan_rules.Line(
        "adjustment",
        f"late event of {', '.join(sorted(months))}: {line.description}",
        line.amount,
        {**line.basis, "original_code": line.code},
        line.source_event_ids,
    )
