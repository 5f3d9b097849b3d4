import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from servicekit.calendar import month_bounds
from servicekit.errors import Conflict, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from payroll.employees import service as employees
from payroll.plans.rules import StoreFigures
from payroll.plans.tables import (
    adjustments,
    appraisals,
    attendance,
    commission_plans,
    plan_assignments,
    store_figures,
    targets,
)
from payroll.plans.templates import builtin
from payroll.plans.vocabulary import Plan


async def all_plans(kit: Kit) -> list[dict[str, Any]]:
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(commission_plans).order_by(commission_plans.c.code, commission_plans.c.effective_month)
            )
        ).all()
    stored = [{**r.document, "builtin": False} for r in rows]
    return [{**plan.model_dump(mode="json"), "builtin": True} for plan in builtin().values()] + stored


async def add_plan(kit: Kit, plan: Plan, *, by: str) -> dict[str, Any]:
    if plan.code in builtin():
        raise Conflict(f"{plan.code} is a built-in plan; copy it under a new code", code="builtin-plan")
    async with kit.db.transaction() as session:
        added = await session.execute(
            insert(commission_plans)
            .values(
                code=plan.code,
                effective_month=plan.effective_month,
                document=plan.model_dump(mode="json"),
                created_by=by,
            )
            .on_conflict_do_nothing()
            .returning(commission_plans.c.code)
        )
        if added.first() is None:
            raise Conflict(
                f"{plan.code} already has a version effective {plan.effective_month}", code="plan-version-exists"
            )
    return plan.model_dump(mode="json")


async def plan_for(session: AsyncConnection, code: str, month: str) -> Plan | None:
    """The version of plan ``code`` in force in ``month``: the latest stored one, else the built-in."""
    document = await session.scalar(
        select(commission_plans.c.document)
        .where(commission_plans.c.code == code, commission_plans.c.effective_month <= month)
        .order_by(commission_plans.c.effective_month.desc())
        .limit(1)
    )
    if document is not None:
        return Plan.model_validate(document)
    return builtin().get(code)


async def assign(kit: Kit, employee_no: str, plan_code: str, from_month: str, *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await employees.known(session, employee_no)
        if await plan_for(session, plan_code, from_month) is None:
            raise Unprocessable(
                f"no plan {plan_code} in force in {from_month}", errors=[field_error("plan_code", "unknown plan")]
            )
        stmt = insert(plan_assignments).values(
            employee_no=employee_no, from_month=from_month, plan_code=plan_code, assigned_by=by
        )
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["employee_no", "from_month"], set_={"plan_code": plan_code, "assigned_by": by}
            )
        )
    return {"employee_no": employee_no, "plan_code": plan_code, "from_month": from_month}


async def set_target(kit: Kit, month: str, employee_no: str, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await employees.known(session, employee_no)
        stmt = insert(targets).values(month=month, employee_no=employee_no, set_by=by, **facts)
        await session.execute(
            stmt.on_conflict_do_update(index_elements=["month", "employee_no"], set_={**facts, "set_by": by})
        )
    return {"month": month, "employee_no": employee_no, **facts}


async def set_appraisal(
    kit: Kit, month: str, employee_no: str, score: Decimal, *, by: str, sheet_score: Decimal | None = None
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await employees.known(session, employee_no)
        stmt = insert(appraisals).values(
            month=month, employee_no=employee_no, score=score, sheet_score=sheet_score, set_by=by
        )
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["month", "employee_no"], set_={"score": score, "sheet_score": sheet_score, "set_by": by}
            )
        )
    return {"month": month, "employee_no": employee_no, "score": score, "sheet_score": sheet_score}


async def set_attendance(kit: Kit, month: str, employee_no: str, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    """PAY-1: the days an employee worked of the days scheduled; a later entry replaces it."""
    if facts["days_worked"] > facts["days_scheduled"]:
        raise Unprocessable(
            "more days worked than scheduled", errors=[field_error("days_worked", "at most days_scheduled")]
        )
    async with kit.db.transaction() as session:
        await employees.known(session, employee_no)
        stmt = insert(attendance).values(month=month, employee_no=employee_no, set_by=by, **facts)
        await session.execute(
            stmt.on_conflict_do_update(index_elements=["month", "employee_no"], set_={**facts, "set_by": by})
        )
    return {"month": month, "employee_no": employee_no, **facts}


async def set_store_figures(kit: Kit, month: str, figures: dict[str, Any], *, by: str) -> dict[str, Any]:
    """PAY-10's department figures of a month (profit, parts sales, office costs…): a later entry replaces it."""
    async with kit.db.transaction() as session:
        stmt = insert(store_figures).values(month=month, set_by=by, **figures)
        row = (
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[store_figures.c.month], set_={**figures, "set_by": by, "set_at": func.now()}
                ).returning(*store_figures.c)
            )
        ).one()
    return dict(row._mapping)


async def get_store_figures(kit: Kit, month: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (await session.execute(select(store_figures).where(store_figures.c.month == month))).first()
    if row is None:
        raise NotFound(f"no store figures for {month}")
    return dict(row._mapping)


async def add_adjustment(kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await employees.known(session, facts["employee_no"])
        row = (
            await session.execute(
                adjustments.insert().values(id=str(uuid.uuid4()), created_by=by, **facts).returning(*adjustments.c)
            )
        ).one()
    return dict(row._mapping)


@dataclass(frozen=True)
class MonthInputs:
    """What people entered for a month: targets, appraisal and sheet scores, store figures, adjustments."""

    targets: dict[str, Any]
    scores: dict[str, Decimal]
    sheets: dict[str, Decimal]
    store: StoreFigures | None
    adjustments: list[Any]
    attendance: dict[str, tuple[Decimal, Decimal]]
    """(days worked, days scheduled) of those whose month was not full."""


async def month_inputs(session: AsyncConnection, month: str) -> MonthInputs:
    goals = (await session.execute(select(targets).where(targets.c.month == month))).all()
    marks = (await session.execute(select(appraisals).where(appraisals.c.month == month))).all()
    figures = (await session.execute(select(store_figures).where(store_figures.c.month == month))).first()
    manual = await session.execute(
        select(adjustments).where(adjustments.c.month == month).order_by(adjustments.c.created_at)
    )
    days = (await session.execute(select(attendance).where(attendance.c.month == month))).all()
    return MonthInputs(
        targets={r.employee_no: r for r in goals},
        scores={r.employee_no: r.score for r in marks},
        sheets={r.employee_no: r.sheet_score for r in marks if r.sheet_score is not None},
        store=StoreFigures(**{k: getattr(figures, k) for k in _STORE_FIGURES}) if figures else None,
        adjustments=list(manual.all()),
        attendance={r.employee_no: (r.days_worked, r.days_scheduled) for r in days},
    )


async def month_sheet(kit: Kit, month: str) -> dict[str, Any]:
    """The month's inputs as the HR desk enters them: everyone on staff that month with their
    attendance, appraisal and target (null where nothing was entered), the adjustments, and whether
    the store figures are in."""
    first, last = month_bounds(month)
    async with kit.db.transaction() as session:
        staff = await employees.on_staff(session, first, last)
        inputs = await month_inputs(session, month)
    items = []
    for person in sorted(staff, key=lambda row: row.employee_no):
        no = person.employee_no
        days = inputs.attendance.get(no)
        goal = inputs.targets.get(no)
        score = inputs.scores.get(no)
        items.append(
            {
                "employee_no": no,
                "name": person.name,
                "role": person.role,
                "team": person.team,
                "attendance": {"days_worked": days[0], "days_scheduled": days[1]} if days else None,
                "appraisal": {"score": score, "sheet_score": inputs.sheets.get(no)} if score is not None else None,
                "target": {"units": goal.units, "output": goal.output, "profit": goal.profit} if goal else None,
            }
        )
    return {
        "month": month,
        "items": items,
        "adjustments": [dict(row._mapping) for row in inputs.adjustments],
        "store_figures_entered": inputs.store is not None,
    }


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


async def plans_in_force(session: AsyncConnection, month: str, default: str) -> Callable[[str], Awaitable[Plan]]:
    """Each employee's plan in force in ``month`` (the latest assignment, else ``default``), resolving
    every plan code once; 409 for a plan not in force that month."""
    assigned: dict[str, str] = {}
    rows = await session.execute(
        select(plan_assignments.c.employee_no, plan_assignments.c.plan_code)
        .where(plan_assignments.c.from_month <= month)
        .order_by(plan_assignments.c.employee_no, plan_assignments.c.from_month)
    )
    for employee_no, code in rows.all():
        assigned[employee_no] = code
    resolved: dict[str, Plan] = {}

    async def plan_of(employee_no: str) -> Plan:
        code = assigned.get(employee_no, default)
        if code not in resolved:
            plan = await plan_for(session, code, month)
            if plan is None:
                raise Conflict(f"plan {code} of {employee_no} is not in force in {month}", code="plan-missing")
            resolved[code] = plan
        return resolved[code]

    return plan_of
