import uuid
from decimal import Decimal
from typing import Any

from servicekit.errors import Conflict, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.employees.tables import employees
from payroll.plans.rules import Plan
from payroll.plans.tables import adjustments, appraisals, commission_plans, plan_assignments, store_figures, targets
from payroll.plans.templates import builtin


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


async def plan_for(session: AsyncSession, code: str, month: str) -> Plan | None:
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
        await _known(session, employee_no)
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
        await _known(session, employee_no)
        stmt = insert(targets).values(month=month, employee_no=employee_no, set_by=by, **facts)
        await session.execute(
            stmt.on_conflict_do_update(index_elements=["month", "employee_no"], set_={**facts, "set_by": by})
        )
    return {"month": month, "employee_no": employee_no, **facts}


async def set_appraisal(
    kit: Kit, month: str, employee_no: str, score: Decimal, *, by: str, sheet_score: Decimal | None = None
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await _known(session, employee_no)
        stmt = insert(appraisals).values(
            month=month, employee_no=employee_no, score=score, sheet_score=sheet_score, set_by=by
        )
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["month", "employee_no"], set_={"score": score, "sheet_score": sheet_score, "set_by": by}
            )
        )
    return {"month": month, "employee_no": employee_no, "score": score, "sheet_score": sheet_score}


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
        await _known(session, facts["employee_no"])
        row = (
            await session.execute(
                adjustments.insert().values(id=str(uuid.uuid4()), created_by=by, **facts).returning(*adjustments.c)
            )
        ).one()
    return dict(row._mapping)


async def _known(session: AsyncSession, employee_no: str) -> None:
    if await session.scalar(select(employees.c.employee_no).where(employees.c.employee_no == employee_no)) is None:
        raise NotFound(f"employee {employee_no} not found")
