from datetime import datetime
from decimal import Decimal
from typing import Any

from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled
from servicekit.calendar import business_date
from servicekit.errors import Conflict, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from marketing.budgets import rules
from marketing.budgets.tables import budget_lines, budgets, sales_history


async def _count(session: AsyncSession, moment: datetime, delta: int) -> None:
    day = business_date(moment)
    stmt = insert(sales_history).values(year=day.year, month=day.month, counted=max(delta, 0))
    await session.execute(
        stmt.on_conflict_do_update(index_elements=["year", "month"], set_={"counted": sales_history.c.counted + delta})
    )


async def on_vehicle_delivered(session: AsyncSession, event: VehicleDelivered, _: CloudEvent) -> None:
    await _count(session, event.delivered_at, 1)


async def on_delivery_cancelled(session: AsyncSession, event: VehicleDeliveryCancelled, _: CloudEvent) -> None:
    # the sale no longer counts in the month it was delivered; the event does not carry that month,
    # so the cancellation month is used (our reading: cancellations follow deliveries closely)
    await _count(session, event.cancelled_at, -1)


async def enter_history(kit: Kit, year: int, months: list[int]) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        for month, count in enumerate(months, start=1):
            stmt = insert(sales_history).values(year=year, month=month, entered=count)
            await session.execute(stmt.on_conflict_do_update(index_elements=["year", "month"], set_={"entered": count}))
        return await _history(session, year)


async def history(kit: Kit, year: int) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        return await _history(session, year)


async def _history(session: AsyncSession, year: int) -> dict[str, Any]:
    rows = {
        r.month: r for r in (await session.execute(select(sales_history).where(sales_history.c.year == year))).all()
    }
    months = [rows[m].entered if m in rows and rows[m].entered is not None else (rows[m].counted if m in rows else 0)
              for m in range(1, 13)]  # fmt: skip
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
                set_={"last_year_actual": facts["last_year_actual"], "fixed_share": facts["fixed_share"],
                      "version": budgets.c.version + 1, "updated_at": func.now()},
            )
        )  # fmt: skip
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
    try:
        amounts = rules.monthly_split(annual, history)
    except rules.NoSalesHistory as exc:
        raise Unprocessable(
            str(exc), errors=[field_error("sales_history", f"enter {year - 3}..{year - 1} first")]
        ) from exc
    months = []
    for number, amount in enumerate(amounts, start=1):
        fixed, activity = rules.fixed_and_activity(amount, fixed_share)
        months.append({"month": f"{year}-{number:02d}", "amount": amount, "fixed": fixed, "activity": activity})
    return {"year": year, "annual": annual, "based_on": [year - 3, year - 2, year - 1], "months": months}


async def _view(session: AsyncSession, year: int) -> dict[str, Any]:
    budget = (await session.execute(select(budgets).where(budgets.c.year == year))).first()
    if budget is None:
        raise NotFound(f"no budget for {year}")
    lines = (
        await session.execute(select(budget_lines).where(budget_lines.c.year == year).order_by(budget_lines.c.category))
    ).all()
    annual = sum((line.amount for line in lines), Decimal("0.00"))
    return {**budget._mapping, "lines": [dict(line._mapping) for line in lines], "annual": annual}
