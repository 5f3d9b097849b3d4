"""After the loan (FIN-5..6): a paid-out loan's account and schedule, the lenders' repayment
statements pushed in batches, the morning run that opens reminders for watched customers and
collections of missed instalments (escalated as they age), and the overdue list."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError
from servicekit import scheduler
from servicekit.auth import Principal
from servicekit.calendar import business_date, next_daily
from servicekit.calendar import today as calendar_today
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Forbidden, field_error, item_errors
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from sqlalchemy import Integer, and_, bindparam, case, cast, func, literal, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.loans import rules as loan_rules
from insurance.loans import service as loans
from insurance.repayments import rules
from insurance.repayments.tables import loan_accounts, loan_instalments, loan_repayments, loan_tasks

MAX_ITEMS = 1000


async def open_account(session: AsyncConnection, application: Any) -> None:
    """FIN-2: the paid-out loan's account and its schedule of equal instalments, the first due on the
    application's ``first_due_on``."""
    await session.execute(
        insert(loan_accounts)
        .values(
            application_id=application.id,
            lender=application.lender,
            lender_key=application.lender.lower(),
            contract_no=application.contract_no,
            customer_id=application.customer_id,
            order_id=application.order_id,
            vin=application.vin,
            specialist_no=application.specialist_no,
            watch=application.watch,
            principal=application.disbursed_amount,
            annual_rate=application.approved_rate,
            term_months=application.approved_term,
            first_due_on=application.first_due_on,
        )
        .on_conflict_do_nothing(index_elements=[loan_accounts.c.application_id])
    )
    plan = loan_rules.schedule(
        application.disbursed_amount, application.approved_rate, application.approved_term, application.first_due_on
    )
    await session.execute(
        insert(loan_instalments).on_conflict_do_nothing(),
        [{"application_id": application.id, **vars(row)} for row in plan],
    )


async def record_many(kit: Kit, items: list[Any], item: TypeAdapter[Any], *, partner: str) -> list[dict[str, Any]]:
    """FIN-5: a lender's repayment statement, each line on its own (per-item results like the policy
    push): a line names the lender's contract, the instalment and what has been paid on it so far; the
    lender is the API key's partner. Idempotent per lender + contract + instalment: the same line again
    is ``unchanged``, a later statement that says more was paid ``updated``."""
    results: list[dict[str, Any] | None] = [None] * len(items)
    lines: list[tuple[int, Any]] = []
    for index, raw in enumerate(items):
        try:
            lines.append((index, item.validate_python(raw)))
        except ValidationError as exc:
            results[index] = {"index": index, "status": "rejected", "errors": item_errors(exc)}
    async with kit.db.transaction() as session:
        accounts = {
            row.contract_no: row
            for row in await session.execute(
                select(loan_accounts.c.application_id, loan_accounts.c.contract_no).where(
                    loan_accounts.c.lender_key == partner.lower(),
                    loan_accounts.c.contract_no.in_({line.contract_no for _, line in lines}),
                )
            )
        }
        named = sorted(  # the instalments the statement names: only those are locked and read
            {
                (accounts[line.contract_no].application_id, line.instalment)
                for _, line in lines
                if line.contract_no in accounts
            }
        )
        instalments = {
            (r.application_id, r.number): r
            for r in await session.execute(
                select(loan_instalments)
                .where(tuple_(loan_instalments.c.application_id, loan_instalments.c.number).in_(named))
                .with_for_update()
            )
        }
        recorded = {
            (r.application_id, r.number): (r.amount, r.paid_on)
            for r in await session.execute(
                select(loan_repayments).where(
                    tuple_(loan_repayments.c.application_id, loan_repayments.c.number).in_(named)
                )
            )
        }
        changed: dict[tuple[str, int], dict[str, Any]] = {}
        for index, line in lines:
            results[index] = _one(line, index, accounts, instalments, recorded, changed)
        fresh = list(changed.values())
        if fresh:
            stmt = insert(loan_repayments)
            await session.execute(
                stmt.on_conflict_do_update(
                    constraint="loan_repayments_once",
                    set_={
                        "amount": stmt.excluded.amount,
                        "paid_on": stmt.excluded.paid_on,
                        "partner": stmt.excluded.partner,
                        "recorded_at": func.now(),
                    },
                ),
                [{k: v for k, v in f.items() if k != "full"} | {"partner": partner} for f in fresh],
            )
            await session.execute(
                update(loan_instalments)
                .where(
                    loan_instalments.c.application_id == bindparam("a_id"),
                    loan_instalments.c.number == bindparam("n"),
                )
                .values(paid_amount=bindparam("paid"), paid_on=bindparam("full_on")),
                [
                    {
                        "a_id": f["application_id"],
                        "n": f["number"],
                        "paid": f["amount"],
                        "full_on": f["paid_on"] if f["full"] else None,
                    }
                    for f in fresh
                ],
            )
            done = [(f["application_id"], f["number"], f["paid_on"]) for f in fresh if f["full"]]
            if done:
                await session.execute(
                    update(loan_tasks)
                    .where(
                        loan_tasks.c.application_id == bindparam("a_id"),
                        loan_tasks.c.number == bindparam("n"),
                        loan_tasks.c.state == "open",
                    )
                    .values(state="done", done_on=bindparam("on"), note="paid"),
                    [{"a_id": a, "n": n, "on": on} for a, n, on in done],
                )
    return [r for r in results if r is not None]


def _one(
    line: Any,
    index: int,
    accounts: dict[str, Any],
    instalments: dict[tuple[str, int], Any],
    recorded: dict[tuple[str, int], tuple[Decimal, date]],
    fresh: dict[tuple[str, int], dict[str, Any]],
) -> dict[str, Any]:
    def answer(status: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
        return {"index": index, "status": status, "contract_no": line.contract_no, "errors": errors or []}

    account = accounts.get(line.contract_no)
    if account is None:
        return answer("rejected", [field_error("contract_no", "no loan of this lender has this contract")])
    key = (account.application_id, line.instalment)
    instalment = instalments.get(key)
    if instalment is None:
        return answer("rejected", [field_error("instalment", "the loan has no such instalment")])
    earlier = recorded.get(key)
    if earlier == (line.amount, line.paid_on):
        return answer("unchanged")
    try:
        rules.check_repayment(line.amount, earlier[0] if earlier else Decimal(0), instalment.payment)
    except rules.RepaymentRefused as exc:
        return answer("rejected", [field_error("amount", str(exc))])
    recorded[key] = (line.amount, line.paid_on)
    fresh[key] = {
        "application_id": account.application_id,
        "number": line.instalment,
        "amount": line.amount,
        "paid_on": line.paid_on,
        "full": rules.paid_in_full(instalment.payment, line.amount),
    }
    return answer("updated" if earlier else "recorded")


def _level_of(days: Any) -> Any:
    """FIN-6's level in SQL, from the rule's own steps."""
    return sum((cast(days >= step, Integer) for step in rules.ESCALATION_DAYS), literal(0))


async def _sweep(session: AsyncConnection, run_at: datetime) -> None:
    await sweep(session, business_date(run_at))


async def sweep(session: AsyncConnection, today: date) -> None:
    """The morning run: a reminder for each watched customer's instalment due within 3 days (FIN-5),
    a collection for each missed one, its level raised as it ages (FIN-6: escalated, it leaves the
    specialist for the finance manager)."""
    unpaid = loan_instalments.c.paid_on.is_(None)
    joined = loan_instalments.join(loan_accounts, loan_accounts.c.application_id == loan_instalments.c.application_id)
    await session.execute(
        insert(loan_tasks)
        .from_select(
            ["application_id", "number", "kind", "opened_on", "assignee_no"],
            select(
                loan_instalments.c.application_id,
                loan_instalments.c.number,
                literal("reminder"),
                literal(today),
                loan_accounts.c.specialist_no,
            )
            .select_from(joined)
            .where(
                unpaid,
                loan_accounts.c.watch,
                loan_instalments.c.due_on >= today,
                loan_instalments.c.due_on <= today + timedelta(days=rules.REMIND_DAYS_BEFORE),
            ),
        )
        .on_conflict_do_nothing(constraint="loan_tasks_once")
    )
    level = _level_of(literal(today) - loan_instalments.c.due_on)
    collections = insert(loan_tasks).from_select(
        ["application_id", "number", "kind", "opened_on", "level", "escalated_on", "assignee_no"],
        select(
            loan_instalments.c.application_id,
            loan_instalments.c.number,
            literal("collection"),
            literal(today),
            level,
            case((level >= 1, literal(today)), else_=None),
            case((level >= 1, None), else_=loan_accounts.c.specialist_no),
        )
        .select_from(joined)
        .where(unpaid, loan_instalments.c.due_on < today),
    )
    await session.execute(
        collections.on_conflict_do_update(
            constraint="loan_tasks_once",
            set_={
                "level": collections.excluded.level,
                "escalated_on": literal(today),
                "assignee_no": case((collections.excluded.level >= 1, None), else_=loan_tasks.c.assignee_no),
            },
            where=and_(loan_tasks.c.state == "open", collections.excluded.level > loan_tasks.c.level),
        )
    )


SWEEP = scheduler.Recurring("loans.after_loan", lambda after: next_daily(after, rules.SWEEP_AT), _sweep)


async def overdue(
    kit: Kit,
    *,
    by: Principal,
    level: int | None,
    specialist_no: str | None,
    limit: int,
    cursor: str | None,
    today: date | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """FIN-6: instalments past their due day and not paid in full, oldest first, with their days
    overdue and collection level; a finance specialist sees their own loans."""
    day = today or calendar_today()
    days = (literal(day) - loan_instalments.c.due_on).label("days_overdue")
    level_ = _level_of(literal(day) - loan_instalments.c.due_on).label("level")
    query = (
        select(
            loan_instalments.c.application_id,
            loan_instalments.c.number,
            loan_instalments.c.due_on,
            loan_instalments.c.payment,
            loan_instalments.c.paid_amount,
            (loan_instalments.c.payment - loan_instalments.c.paid_amount).label("outstanding"),
            days,
            level_,
            loan_accounts.c.lender,
            loan_accounts.c.contract_no,
            loan_accounts.c.customer_id,
            loan_accounts.c.vin,
            loan_accounts.c.specialist_no,
        )
        .select_from(
            loan_instalments.join(loan_accounts, loan_accounts.c.application_id == loan_instalments.c.application_id)
        )
        .where(loan_instalments.c.paid_on.is_(None), loan_instalments.c.due_on < day)
    )
    if not loans.sees_all(by):
        query = query.where(loan_accounts.c.specialist_no == by.employee_no)
    elif specialist_no:
        query = query.where(loan_accounts.c.specialist_no == specialist_no)
    if level is not None:
        query = query.where(_level_of(literal(day) - loan_instalments.c.due_on) == level)
    order = [loan_instalments.c.due_on, loan_instalments.c.application_id, loan_instalments.c.number]
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit)
    return [{**r._mapping, "escalated": rules.escalated(r.level)} for r in page], next_cursor


async def tasks(
    kit: Kit,
    *,
    by: Principal,
    kind: str | None,
    state: str,
    escalated: bool | None,
    limit: int,
    cursor: str | None,
    task_id: int | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """After-loan work: a finance specialist's own reminders and collections; the finance manager's
    and the risk desk's view has every one (``escalated=true``: the ones that are the manager's)."""
    query = (
        select(
            loan_tasks,
            loan_accounts.c.lender,
            loan_accounts.c.contract_no,
            loan_accounts.c.customer_id,
            loan_instalments.c.due_on,
            (loan_instalments.c.payment - loan_instalments.c.paid_amount).label("outstanding"),
        )
        .select_from(
            loan_tasks.join(loan_accounts, loan_accounts.c.application_id == loan_tasks.c.application_id).join(
                loan_instalments,
                and_(
                    loan_instalments.c.application_id == loan_tasks.c.application_id,
                    loan_instalments.c.number == loan_tasks.c.number,
                ),
            )
        )
        .where(loan_tasks.c.state == state)
    )
    if kind:
        query = query.where(loan_tasks.c.kind == kind)
    if task_id is not None:
        query = query.where(loan_tasks.c.id == task_id)
    if escalated is not None:
        query = query.where((loan_tasks.c.level >= 1) if escalated else (loan_tasks.c.level == 0))
    if not loans.sees_all(by):
        query = query.where(loan_tasks.c.assignee_no == by.employee_no)
    order = [loan_tasks.c.opened_on, loan_tasks.c.id]
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit)
    return [dict(r._mapping) for r in page], next_cursor


async def finish_task(kit: Kit, task_id: int, note: str, *, by: Principal) -> None:
    """FIN-5: a reminder is done once the customer was reminded; a collection closes only when the
    instalment is paid (the lender's statement says so)."""
    async with kit.db.transaction() as session:
        task = await row_or_404(session, loan_tasks.c.id, task_id, "loan task", lock=True)
        if not loans.sees_all(by) and task.assignee_no != by.employee_no:
            raise Forbidden("a finance specialist works their own after-loan tasks")
        if task.kind == "collection":
            raise Conflict("a collection closes when the lender reports the instalment paid", code="invalid-state")
        if task.state != "open":
            raise Conflict(f"the task is {task.state}", code="invalid-state")
        await session.execute(
            update(loan_tasks)
            .where(loan_tasks.c.id == task_id)
            .values(state="done", done_on=calendar_today(), note=note)
        )


async def account(kit: Kit, application_id: str, *, by: Principal) -> dict[str, Any]:
    """A paid-out loan: its schedule with what was paid on each instalment."""
    async with kit.db.transaction() as session:
        row = await row_or_404(session, loan_accounts.c.application_id, application_id, "loan account")
        if not loans.sees_all(by) and row.specialist_no != by.employee_no:
            raise Forbidden("a finance specialist sees the loans they handle")
        plan = (
            await session.execute(
                select(loan_instalments)
                .where(loan_instalments.c.application_id == application_id)
                .order_by(loan_instalments.c.number)
            )
        ).all()
    return {**row._mapping, "instalments": [dict(i._mapping) for i in plan]}


async def overdue_figures(session: AsyncConnection, day: date) -> tuple[int, Decimal]:
    """The instalments overdue on ``day`` and what is still owed on them (the weekly report's)."""
    count, owed = (
        await session.execute(
            select(
                func.count(), func.coalesce(func.sum(loan_instalments.c.payment - loan_instalments.c.paid_amount), 0)
            ).where(loan_instalments.c.paid_on.is_(None), loan_instalments.c.due_on < day)
        )
    ).one()
    return count, Decimal(owed)
