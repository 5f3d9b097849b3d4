import uuid
from decimal import Decimal
from typing import Any

from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.permissions import Permission, holds
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from marketing.budgets import rules
from marketing.budgets.tables import budget_lines, budgets, fixed_spends, sales_history, split_overrides


async def enter_history(kit: Kit, year: int, months: list[int]) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        for month, count in enumerate(months, start=1):
            stmt = insert(sales_history).values(year=year, month=month, entered=count)
            await session.execute(stmt.on_conflict_do_update(index_elements=["year", "month"], set_={"entered": count}))
        return await _history(session, year)


async def history(kit: Kit, year: int) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        return await _history(session, year)


async def _history(session: AsyncConnection, year: int) -> dict[str, Any]:
    rows = {
        r.month: r for r in (await session.execute(select(sales_history).where(sales_history.c.year == year))).all()
    }
    months = [
        rows[m].entered if m in rows and rows[m].entered is not None else (rows[m].counted if m in rows else 0)
        for m in range(1, 13)
    ]
    entered = any(m in rows and rows[m].entered is not None for m in range(1, 13))
    return {"year": year, "months": months, "source": "entered" if entered else "counted from deliveries"}


async def save_draft(kit: Kit, year: int, facts: dict[str, Any]) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        state = await session.scalar(select(budgets.c.state).where(budgets.c.year == year).with_for_update())
        if state is not None and state != "draft":
            raise Conflict(f"the {year} budget is {state}; only a draft is edited", code="invalid-state")
        stmt = insert(budgets).values(
            year=year, last_year_actual=facts["last_year_actual"], fixed_share=facts["fixed_share"]
        )
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["year"],
                set_={
                    "last_year_actual": facts["last_year_actual"],
                    "fixed_share": facts["fixed_share"],
                    "version": budgets.c.version + 1,
                    "updated_at": func.now(),
                },
            )
        )
        await session.execute(delete(budget_lines).where(budget_lines.c.year == year))
        await session.execute(budget_lines.insert(), [{"year": year, **line} for line in facts["lines"]])
        return await _view(session, year)


async def act(kit: Kit, year: int, action: str, *, by: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        state = await session.scalar(select(budgets.c.state).where(budgets.c.year == year).with_for_update())
        if state is None:
            raise NotFound(f"no budget for {year}")
        try:
            target = rules.next_state(state, action)
        except rules.InvalidMove as exc:
            raise Conflict(str(exc), code="invalid-transition") from exc
        values: dict[str, Any] = {"state": target, "version": budgets.c.version + 1, "updated_at": func.now()}
        if action == "submit":
            values["submitted_by"] = by
        if action == "approve":
            values["approved_by"] = by
        await session.execute(update(budgets).where(budgets.c.year == year).values(**values))
        return await _view(session, year)


async def get(kit: Kit, year: int) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        return await _view(session, year)


async def split(kit: Kit, year: int, annual: Decimal | None) -> dict[str, Any]:
    """MKT-2/3 for the year: by the rule, or as the marketing manager overrode it (same total)."""
    what_if = annual is not None
    async with kit.db.transaction() as session:
        budget = (await session.execute(select(budgets).where(budgets.c.year == year))).first()
        if annual is None:
            if budget is None or budget.state not in ("approved", "closed"):
                raise Conflict(
                    f"the {year} budget is not approved; send {{'annual': …}} for a what-if", code="not-approved"
                )
            annual = (await _view(session, year))["annual"]
        fixed_share = budget.fixed_share if budget is not None else Decimal("0.3")
        history = [(await _history(session, year - back))["months"] for back in (1, 2, 3)]
        override = {} if what_if else await _override(session, year)
    try:
        by_rule = rules.monthly_split(annual, history)
    except rules.NoSalesHistory as exc:
        raise Unprocessable(
            str(exc), errors=[field_error("sales_history", f"enter {year - 3}..{year - 1} first")]
        ) from exc
    amounts, moved, moved_total = by_rule, [Decimal("0")] * 12, Decimal("0")
    if len(override) == 12:
        try:
            amounts, moved, moved_total = rules.apply_override(by_rule, [override[m] for m in range(1, 13)])
        except rules.BadOverride:  # the budget changed since: the override no longer adds up, the rule applies
            override = {}
    months = []
    for number, amount in enumerate(amounts, start=1):
        fixed, activity = rules.fixed_and_activity(amount, fixed_share)
        months.append(
            {
                "month": f"{year}-{number:02d}",
                "amount": amount,
                "fixed": fixed,
                "activity": activity,
                "rule_amount": by_rule[number - 1],
                "moved": moved[number - 1],
            }
        )
    return {
        "year": year,
        "annual": annual,
        "based_on": [year - 3, year - 2, year - 1],
        "months": months,
        "overridden": len(override) == 12,
        "moved_total": moved_total,
    }


async def _override(session: AsyncConnection, year: int) -> dict[int, Decimal]:
    rows = (await session.execute(select(split_overrides).where(split_overrides.c.year == year))).all()
    return {r.month: r.amount.quantize(rules.YUAN) for r in rows}


async def override_split(kit: Kit, year: int, amounts: list[Decimal], reason: str, *, by: str) -> dict[str, Any]:
    """A manual split: it must keep the year's total (422 with the figures otherwise)."""
    rule_split = await split(kit, year, None)
    by_rule = [m["rule_amount"] for m in rule_split["months"]]
    try:
        rules.apply_override(by_rule, amounts)
    except rules.BadOverride as exc:
        raise Unprocessable(
            str(exc), errors=[field_error("months", str(exc))], annual=str(sum(by_rule)), given=str(sum(amounts))
        ) from exc
    async with kit.db.transaction() as session:
        await session.execute(delete(split_overrides).where(split_overrides.c.year == year))
        await session.execute(
            split_overrides.insert(),
            [
                {"year": year, "month": n, "amount": amount, "reason": reason, "set_by": by}
                for n, amount in enumerate(amounts, start=1)
            ],
        )
    return await split(kit, year, None)


async def clear_override(kit: Kit, year: int) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        await session.execute(delete(split_overrides).where(split_overrides.c.year == year))
    return await split(kit, year, None)


async def fixed_spend(kit: Kit, facts: dict[str, Any], *, by: Any) -> dict[str, Any]:
    """MKT-3/MKT-6: running spend against the month's fixed budget; over it → 409 with the figures
    unless the general manager approves the overrun; concurrent spends are serialised per month."""
    approve_overrun = facts.pop("approve_overrun", False)
    if approve_overrun and not holds(by, Permission.BUDGET_APPROVE):
        raise Forbidden("only the general manager approves spend over budget")
    month = facts["month"]
    the_split = await split(kit, int(month[:4]), None)
    limit = next(m["fixed"] for m in the_split["months"] if m["month"] == month)
    async with kit.db.transaction() as session:
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"fixed-month:{month}"))))
        used = Decimal(
            await session.scalar(
                select(func.coalesce(func.sum(fixed_spends.c.amount), 0)).where(fixed_spends.c.month == month)
            )
        )
        over = rules.overspend(limit, used, facts["amount"])
        if over and not approve_overrun:
            raise Conflict(
                f"{month} has {limit - used} of fixed budget left; {facts['amount']} asked",
                code="over-budget",
                limit=str(limit),
                used=str(used),
                asked=str(facts["amount"]),
                over=str(over),
            )
        await session.execute(
            fixed_spends.insert().values(
                id=str(uuid.uuid4()), created_by=by.username, overrun_approved_by=by.username if over else None, **facts
            )
        )
        return await _fixed_view(session, month, limit)


async def fixed_spends_of(kit: Kit, month: str) -> dict[str, Any]:
    the_split = await split(kit, int(month[:4]), None)
    limit = next(m["fixed"] for m in the_split["months"] if m["month"] == month)
    async with kit.db.transaction() as session:
        return await _fixed_view(session, month, limit)


async def _fixed_view(session: AsyncConnection, month: str, limit: Decimal) -> dict[str, Any]:
    rows = (
        await session.execute(
            select(fixed_spends).where(fixed_spends.c.month == month).order_by(fixed_spends.c.created_at)
        )
    ).all()
    spent = sum((r.amount for r in rows), Decimal("0.00"))
    return {
        "month": month,
        "budget": limit,
        "spent": spent,
        "remaining": limit - spent,
        "spends": [dict(r._mapping) for r in rows],
    }


async def _view(session: AsyncConnection, year: int) -> dict[str, Any]:
    budget = (await session.execute(select(budgets).where(budgets.c.year == year))).first()
    if budget is None:
        raise NotFound(f"no budget for {year}")
    lines = (
        await session.execute(select(budget_lines).where(budget_lines.c.year == year).order_by(budget_lines.c.category))
    ).all()
    annual = sum((line.amount for line in lines), Decimal("0.00"))
    return {**budget._mapping, "lines": [dict(line._mapping) for line in lines], "annual": annual}
