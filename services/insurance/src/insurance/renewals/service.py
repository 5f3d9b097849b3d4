"""Renewals (INS-3): opened by the scheduler before a policy expires and assigned to a renewal
specialist; reminders by SMS on the schedule; a quote (entered, or pushed by the insurer) goes out by
SMS and opens a 3-day call deadline; won when the car's new policy is recorded, lost with a reason."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from fours_contracts import RenewalLost, RenewalWon
from servicekit import outbox, scheduler, staff
from servicekit.auth import Principal
from servicekit.calendar import business_date
from servicekit.calendar import today as calendar_today
from servicekit.db import row_or_404
from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from servicekit.permissions import Permission, holds
from servicekit.roles import Role
from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.policies import service as policies
from insurance.renewals import rules
from insurance.renewals.tables import renewal_reminders, renewals
from insurance.sms import service as sms

OPEN_JOB = "renewal.open"
REMIND_JOB = "renewal.remind"
WORKERS = (Role.INSURANCE_SPECIALIST,)
schedule_days: tuple[int, ...] = rules.SCHEDULE
"""The reminder schedule of this process, from settings at start-up."""


def plan_jobs(policy_id: str, end_date: date, now: datetime) -> list[tuple[str, str, datetime, dict[str, Any]]]:
    """The due jobs of a policy's renewal: opened ``max(schedule)`` days before it ends, the customer
    reminded on the schedule (what is already past is not planned)."""
    today = business_date(now)
    if end_date < today:
        return []
    key = f"{policy_id}:{end_date.isoformat()}"
    jobs: list[tuple[str, str, datetime, dict[str, Any]]] = [
        (OPEN_JOB, key, max(now, rules.at_send_time(rules.opens_on(end_date, schedule_days))), {"policy_id": policy_id})
    ]
    for days_before, day in rules.reminders(end_date, today, schedule_days):
        jobs.append(
            (
                REMIND_JOB,
                f"{key}:{days_before}",
                max(now, rules.at_send_time(day)),
                {"policy_id": policy_id, "days_before": days_before},
            )
        )
    return jobs


async def plan(
    session: AsyncConnection, policy_id: str, end_date: date, *, fresh: bool, now: datetime | None = None
) -> None:
    """A policy was recorded: plan its renewal; a changed end date plans afresh."""
    jobs = plan_jobs(policy_id, end_date, now or datetime.now(UTC))
    if fresh:
        await scheduler.schedule_many(session, jobs)
        return
    await cancel_plan(session, policy_id)
    for kind, key, due_at, payload in jobs:
        await scheduler.schedule(session, kind, key, due_at, payload, replace=True)


async def cancel_plan(session: AsyncConnection, policy_id: str) -> None:
    await scheduler.cancel_prefix(session, OPEN_JOB, f"{policy_id}:")
    await scheduler.cancel_prefix(session, REMIND_JOB, f"{policy_id}:")


async def open_renewal(session: AsyncConnection, payload: dict[str, Any]) -> None:
    """Due job: the policy's renewal is opened and assigned to the least busy renewal specialist."""
    await _ensure(session, payload["policy_id"])


async def remind(session: AsyncConnection, payload: dict[str, Any]) -> None:
    """Due job: one scheduled reminder, unless the renewal is already decided."""
    renewal = await _ensure(session, payload["policy_id"])
    if renewal is None or renewal.status in ("renewed", "lost"):
        return
    days_before = int(payload["days_before"])
    exists = await session.scalar(
        select(renewal_reminders.c.id).where(
            renewal_reminders.c.renewal_id == renewal.id, renewal_reminders.c.days_before == days_before
        )
    )
    if exists:
        return
    sms_id = await sms.queue(
        session,
        mobile=renewal.holder_mobile,
        purpose="renewal_reminder",
        ref=renewal.id,
        body=rules.reminder_sms(renewal.holder_name, renewal.vin, renewal.expires_on, days_before),
    )
    await session.execute(
        renewal_reminders.insert().values(
            id=str(uuid.uuid4()), renewal_id=renewal.id, days_before=days_before, sms_id=sms_id
        )
    )


async def _ensure(session: AsyncConnection, policy_id: str) -> Any:
    """The policy's renewal, opened (and assigned) if this is its first due job."""
    existing = (await session.execute(select(renewals).where(renewals.c.policy_id == policy_id))).first()
    if existing is not None:
        return existing
    policy = await policies.row(session, policy_id)
    if policy is None:
        return None
    assignee = await staff.least_busy(session, WORKERS, _open_work, on=calendar_today())
    await session.execute(
        insert(renewals)
        .values(
            id=str(uuid.uuid4()),
            policy_id=policy.id,
            vin=policy.vin,
            insurer=policy.insurer,
            holder_name=policy.holder_name,
            holder_mobile=policy.holder_mobile,
            expires_on=policy.end_date,
            assignee_no=assignee,
        )
        .on_conflict_do_nothing(index_elements=[renewals.c.policy_id])
    )
    return (await session.execute(select(renewals).where(renewals.c.policy_id == policy_id))).one()


def _open_work(employee_no: Any) -> Any:
    return (
        select(func.count())
        .where(renewals.c.assignee_no == employee_no, renewals.c.status.in_(["open", "quoted"]))
        .scalar_subquery()
    )


async def on_policy_recorded(session: AsyncConnection, policy_id: str, *, source: str, fresh: bool) -> None:
    """A policy of the store for a car whose renewal is open: that renewal is won; and the policy's
    own renewal is planned."""
    policy = await policies.row(session, policy_id)
    await _renewed_by(session, [policy], source=source)
    await plan(session, policy.id, policy.end_date, fresh=fresh)


async def on_policies_created(session: AsyncConnection, created: list[Any], *, source: str) -> None:
    """The same for a batch of new policies, in a few round trips (a pushed batch of 1,000)."""
    await _renewed_by(session, created, source=source)
    now = datetime.now(UTC)
    await scheduler.schedule_many(session, [job for p in created for job in plan_jobs(p.id, p.end_date, now)])


async def _renewed_by(session: AsyncConnection, recorded: list[Any], *, source: str) -> None:
    by_vin = {p.vin: p for p in recorded}
    open_ones = (
        await session.execute(
            select(renewals)
            .where(renewals.c.vin.in_(list(by_vin)), renewals.c.status.in_(["open", "quoted"]))
            .order_by(renewals.c.expires_on.desc())
            .with_for_update()
        )
    ).all()
    done: set[str] = set()
    for renewal in open_ones:
        policy = by_vin[renewal.vin]
        if (
            policy.id != renewal.policy_id
            and policy.id not in done
            and rules.renews(renewal.expires_on, policy.start_date)
        ):
            await _won(session, source, renewal, policy)
            done.add(policy.id)


async def _won(session: AsyncConnection, source: str, renewal: Any, policy: Any) -> None:
    now = datetime.now(UTC)
    codes = [c["code"] for c in policy.coverages]
    commercial = rules.commercial(codes)
    await session.execute(
        update(renewals)
        .where(renewals.c.id == renewal.id)
        .values(
            status="renewed",
            new_policy_id=policy.id,
            premium=policy.premium,
            commercial=commercial,
            closed_at=now,
            version=renewals.c.version + 1,
        )
    )
    await scheduler.cancel_prefix(session, REMIND_JOB, f"{renewal.policy_id}:")
    await outbox.publish(
        session,
        RenewalWon(
            renewal_id=renewal.id,
            expiring_policy_id=renewal.policy_id,
            new_policy_id=policy.id,
            vin=policy.vin,
            insurer=policy.insurer,
            premium=policy.premium,
            commercial=commercial,
            credited_no=renewal.assignee_no,
            renewed_at=now,
        ),
        source=source,
    )


def _visible(by: Principal) -> Any:
    if holds(by, Permission.INSURANCE_MANAGE):
        return None
    return renewals.c.assignee_no == by.employee_no


async def _locked(session: AsyncConnection, renewal_id: str, by: Principal) -> Any:
    row = await row_or_404(session, renewals.c.id, renewal_id, "renewal", lock=True)
    if not holds(by, Permission.INSURANCE_MANAGE) and row.assignee_no != by.employee_no:
        raise Forbidden("specialists and advisors work the renewals assigned to them")
    return row


async def listing(
    kit: Kit,
    *,
    by: Principal,
    status: str | None,
    assignee: str | None,
    overdue: bool,
    expiring_before: date | None,
    limit: int,
    cursor: str | None,
    vin: str | None = None,
    mobile: str | None = None,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    query = select(renewals)
    visible = _visible(by)
    if visible is not None:
        query = query.where(visible)
    if assignee:
        query = query.where(renewals.c.assignee_no == (by.employee_no if assignee == "me" else assignee))
    if status:
        query = query.where(renewals.c.status == status)
    if overdue:
        query = query.where(renewals.c.status == "quoted", renewals.c.called_at.is_(None), renewals.c.call_due_at < now)
    if expiring_before:
        query = query.where(renewals.c.expires_on < expiring_before)
    if vin:
        query = query.where(renewals.c.vin == vin)
    if mobile:
        query = query.where(renewals.c.holder_mobile == mobile)
    order = (renewals.c.expires_on, renewals.c.id)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit)
    return {"items": [_view(r, now) for r in page], "next_cursor": next_cursor}


async def get(kit: Kit, renewal_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _locked(session, renewal_id, by)
        messages = await sms.of(session, row.id)
    return {**_view(row, datetime.now(UTC)), "messages": messages}


async def assign(kit: Kit, renewal_id: str, employee_no: str, *, by: Principal) -> dict[str, Any]:
    """The insurance manager gives a renewal to a specialist or to the car's service advisor."""
    async with kit.db.transaction() as session:
        row = await _locked(session, renewal_id, by)
        await staff.active_member(
            session,
            employee_no,
            field="employee_no",
            on=calendar_today(),
            roles={Role.INSURANCE_SPECIALIST, Role.SERVICE_ADVISOR, Role.INSURANCE_MANAGER},
        )
        if row.status in ("renewed", "lost"):
            raise Conflict(f"the renewal is {row.status}", code="invalid-state")
        await session.execute(
            update(renewals)
            .where(renewals.c.id == renewal_id)
            .values(assignee_no=employee_no, version=renewals.c.version + 1)
        )
    return await get(kit, renewal_id, by=by)


async def quote(
    kit: Kit,
    renewal_id: str | None,
    facts: dict[str, Any],
    *,
    by: Principal | None,
    source: str,
    policy: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A premium quote, entered by staff or pushed by the insurer: sent to the customer by SMS and
    the call due within 3 days."""
    async with kit.db.transaction() as session:
        if policy is not None:
            row = await _by_policy(session, *policy)
        else:
            assert renewal_id is not None and by is not None
            row = await _locked(session, renewal_id, by)
        if row.status not in ("open", "quoted"):
            raise Conflict(f"the renewal is {row.status}", code="invalid-state")
        now = datetime.now(UTC)
        insurer = facts.get("insurer") or row.insurer
        quoted = (
            await session.execute(
                update(renewals)
                .where(renewals.c.id == row.id)
                .values(
                    status="quoted",
                    quote_premium=facts["premium"],
                    quote_insurer=insurer,
                    quote_coverages=[
                        {"code": c["code"], "premium": str(c["premium"])} for c in facts.get("coverages") or []
                    ],
                    quote_source=source,
                    quoted_at=now,
                    call_due_at=rules.call_due(now),
                    called_at=None,
                    version=renewals.c.version + 1,
                )
                .returning(*renewals.c)
            )
        ).one()
        await sms.queue(
            session,
            mobile=row.holder_mobile,
            purpose="renewal_quote",
            ref=row.id,
            body=rules.quote_sms(row.holder_name, row.vin, row.expires_on, str(facts["premium"]), insurer),
        )
        return {**_view(quoted, now), "messages": await sms.of(session, row.id)}


async def _by_policy(session: AsyncConnection, insurer: str, policy_no: str) -> Any:
    policy = await policies.by_number(session, insurer, policy_no)
    row = (
        (await session.execute(select(renewals).where(renewals.c.policy_id == policy.id).with_for_update())).first()
        if policy is not None
        else None
    )
    if row is None:
        raise NotFound(f"no renewal is open for {insurer} policy {policy_no}")
    return row


async def call(kit: Kit, renewal_id: str, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = await _locked(session, renewal_id, by)
        if row.status in ("renewed", "lost"):
            raise Conflict(f"the renewal is {row.status}", code="invalid-state")
        changes: dict[str, Any] = {
            "calls": renewals.c.calls + 1,
            "last_call_outcome": facts["outcome"],
            "version": renewals.c.version + 1,
        }
        if facts["outcome"] == "reached" and row.called_at is None:
            changes["called_at"] = datetime.now(UTC)
        await session.execute(update(renewals).where(renewals.c.id == renewal_id).values(**changes))
    return await get(kit, renewal_id, by=by)


async def outcome(kit: Kit, renewal_id: str, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """Renewed (the new policy, as recorded — pushed or entered) or lost with reason and counter-measure."""
    async with kit.db.transaction() as session:
        row = await _locked(session, renewal_id, by)
        if row.status in ("renewed", "lost"):
            raise Conflict(f"the renewal is already {row.status}", code="invalid-state")
        if facts["result"] == "renewed":
            policy = await policies.by_number(session, facts["insurer"], facts["policy_no"])
            if policy is None:
                raise Unprocessable(
                    "the new policy is not known yet: it arrives by the insurer's push or is entered",
                    errors=[field_error("policy_no", "no such policy")],
                )
            if policy.vin != row.vin or policy.id == row.policy_id:
                raise Unprocessable(
                    "the new policy is not this car's renewal", errors=[field_error("policy_no", "other car")]
                )
            await _won(session, kit.source, row, policy)
        else:
            now = datetime.now(UTC)
            await session.execute(
                update(renewals)
                .where(renewals.c.id == renewal_id)
                .values(
                    status="lost",
                    lost_reason=facts["reason"],
                    counter_measure=facts.get("counter_measure"),
                    closed_at=now,
                    version=renewals.c.version + 1,
                )
            )
            await scheduler.cancel_prefix(session, REMIND_JOB, f"{row.policy_id}:")
            await outbox.publish(
                session,
                RenewalLost(
                    renewal_id=row.id,
                    expiring_policy_id=row.policy_id,
                    vin=row.vin,
                    reason=facts["reason"],
                    counter_measure=facts.get("counter_measure"),
                    credited_no=row.assignee_no,
                    lost_at=now,
                ),
                source=kit.source,
            )
    return await get(kit, renewal_id, by=by)


async def analysis(kit: Kit, start: date, end: date) -> dict[str, Any]:
    """Non-renewal analysis: renewals due (expiring) in the period by outcome, lost reasons with their
    counter-measures, and each assignee's figures."""
    async with kit.db.transaction() as session:
        return await analysis_in(session, start, end)


async def analysis_in(session: AsyncConnection, start: date, end: date) -> dict[str, Any]:
    in_period = and_(renewals.c.expires_on >= start, renewals.c.expires_on <= end)
    by_status = dict(
        (
            await session.execute(select(renewals.c.status, func.count()).where(in_period).group_by(renewals.c.status))
        ).all()
    )
    reasons = (
        await session.execute(
            select(renewals.c.lost_reason, func.count(), func.array_agg(func.distinct(renewals.c.counter_measure)))
            .where(in_period, renewals.c.status == "lost")
            .group_by(renewals.c.lost_reason)
            .order_by(func.count().desc())
        )
    ).all()
    people = (
        await session.execute(
            select(renewals.c.assignee_no, renewals.c.status, func.count())
            .where(in_period)
            .group_by(renewals.c.assignee_no, renewals.c.status)
        )
    ).all()
    due = sum(by_status.values())
    per: dict[str | None, dict[str, int]] = {}
    for assignee, status, n in people:
        per.setdefault(assignee, {s: 0 for s in rules.STATES})[status] = n
    return {
        "from": start,
        "to": end,
        "due": due,
        **{s: by_status.get(s, 0) for s in rules.STATES},
        "renewal_rate": None if due == 0 else round(by_status.get("renewed", 0) / due, 4),
        "lost_reasons": [{"reason": r, "count": n, "counter_measures": [c for c in cms if c]} for r, n, cms in reasons],
        "by_assignee": [{"assignee_no": a, **counts} for a, counts in sorted(per.items(), key=lambda kv: kv[0] or "")],
    }


def _view(row: Any, now: datetime) -> dict[str, Any]:
    view = dict(row._mapping)
    view["call_overdue"] = rules.call_overdue(row.status, row.call_due_at, row.called_at, now)
    view["days_to_expiry"] = (row.expires_on - business_date(now)).days
    return view
