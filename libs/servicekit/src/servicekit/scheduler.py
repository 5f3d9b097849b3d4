"""Due-job scheduler: deadlines are rows with a due time, claimed with ``FOR UPDATE SKIP LOCKED``.

``schedule`` is idempotent by (kind, key), so a job is created once however often the event that
causes it arrives, and runs once however many replicas poll. A job runs inside the claiming
transaction, so its effects and its ``done`` mark commit together: a batch runs in one savepoint,
and only when one of its jobs fails are they re-run one savepoint each, the failing one kept for a
retry with backoff.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from servicekit import tracing
from servicekit.db import Database
from servicekit.tables import due_jobs

JobHandler = Callable[[AsyncConnection, dict[str, Any]], Awaitable[None]]
_log = structlog.get_logger("scheduler")


_PLAN_ONCE = pg_insert(due_jobs).on_conflict_do_nothing(constraint="due_jobs_once")
_PLAN_AGAIN = pg_insert(due_jobs)
_PLAN_AGAIN = _PLAN_AGAIN.on_conflict_do_update(
    constraint="due_jobs_once",
    set_={
        "due_at": _PLAN_AGAIN.excluded.due_at,
        "payload": _PLAN_AGAIN.excluded.payload,
        "status": "pending",
        "attempts": 0,
        "last_error": None,
        "done_at": None,
    },
    where=due_jobs.c.status.in_(["pending", "cancelled"]),
)
"""The planning statements, built once (a job's values go with each execution): handlers plan jobs
for nearly every event."""


async def schedule(
    session: AsyncConnection,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
    *,
    replace: bool = False,
) -> None:
    """Plan a job once per (kind, key). With ``replace`` a job not yet run (pending or cancelled) is
    planned again with the new time and payload; a job that has run stays done."""
    await session.execute(
        _PLAN_AGAIN if replace else _PLAN_ONCE,
        {
            "kind": kind,
            "key": key,
            "due_at": due_at,
            "payload": payload or {},
            "traceparent": tracing.current_traceparent(),
        },
    )


async def schedule_many(session: AsyncConnection, jobs: Sequence[tuple[str, str, datetime, dict[str, Any]]]) -> None:
    """Plan many (kind, key, due_at, payload) jobs in one round trip; each once per (kind, key)."""
    if jobs:
        traceparent = tracing.current_traceparent()
        await session.execute(
            _PLAN_ONCE,
            [
                {"kind": kind, "key": key, "due_at": due_at, "payload": payload, "traceparent": traceparent}
                for kind, key, due_at, payload in jobs
            ],
        )


async def cancel(session: AsyncConnection, kind: str, key: str) -> None:
    await session.execute(
        update(due_jobs)
        .where(due_jobs.c.kind == kind, due_jobs.c.key == key, due_jobs.c.status == "pending")
        .values(status="cancelled", done_at=func.now())
    )


async def cancel_prefix(session: AsyncConnection, kind: str, key_prefix: str) -> None:
    """Cancel the pending jobs of ``kind`` whose key starts with ``key_prefix`` (e.g. one car's)."""
    await session.execute(
        update(due_jobs)
        .where(
            due_jobs.c.kind == kind,
            due_jobs.c.key.startswith(key_prefix, autoescape=True),
            due_jobs.c.status == "pending",
        )
        .values(status="cancelled", done_at=func.now())
    )


@dataclass(frozen=True)
class Recurring:
    """A job run at the times ``next_run`` gives (every Monday 08:00, the 25th of each month…): each
    run plans the next, keyed by its time, so however many replicas start there is one chain, and a
    run missed while the service was down still happens when it is back."""

    kind: str
    next_run: Callable[[datetime], datetime]
    """The first run time strictly after the given moment."""
    run: Callable[[AsyncConnection, datetime], Awaitable[None]]

    async def plan_after(self, session: AsyncConnection, after: datetime) -> None:
        at = self.next_run(after)
        await schedule(session, self.kind, at.isoformat(), at, {"run_at": at.isoformat()})

    async def handle(self, session: AsyncConnection, payload: dict[str, Any]) -> None:
        """Run, then plan the next. A job planned by an older version without ``run_at`` runs as of now."""
        run_at = datetime.fromisoformat(payload["run_at"]) if "run_at" in payload else datetime.now(UTC)
        await self.run(session, run_at)
        await self.plan_after(session, run_at)

    async def ensure_planned(self, kit: Any) -> None:
        """Start-up hook: the next run is planned (idempotent across replicas and restarts)."""
        async with kit.db.transaction() as session:
            await self.plan_after(session, datetime.now(UTC))


class Scheduler:
    def __init__(
        self,
        db: Database,
        jobs: dict[str, JobHandler],
        *,
        poll_seconds: float = 1.0,
        batch: int = 100,
        max_attempts: int = 5,
    ) -> None:
        self.db = db
        self.jobs = jobs
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.max_attempts = max_attempts
        self.ran = 0

    async def run_due(self, now: datetime | None = None) -> int:
        """Claim and run the jobs due by ``now``; returns how many were claimed."""
        async with self.db.transaction() as session:
            due_by = now if now is not None else func.now()
            rows = (
                await session.execute(
                    select(due_jobs)
                    .where(
                        due_jobs.c.status == "pending",
                        due_jobs.c.due_at <= due_by,
                        due_jobs.c.kind.in_(list(self.jobs)),
                    )
                    .order_by(due_jobs.c.due_at, due_jobs.c.id)
                    .limit(self.batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            try:
                async with session.begin_nested():  # the usual case: every job of the batch succeeds
                    for row in rows:
                        await self._run(session, row)
                done = list(rows)
            except Exception:  # rolled back to the savepoint: run them one by one
                done = [row for row in rows if await self._run_alone(session, row)]
            if done:
                await session.execute(
                    update(due_jobs)
                    .where(due_jobs.c.id.in_([row.id for row in done]))
                    .values(status="done", done_at=func.now(), attempts=due_jobs.c.attempts + 1)
                )
            self.ran += len(done)
        return len(rows)

    async def _run(self, session: AsyncConnection, row: Any) -> None:
        if not tracing.ACTIVE:
            await self.jobs[row.kind](session, dict(row.payload))
            return
        with tracing.span(f"job {row.kind}", parent=row.traceparent, attributes={"fours.job.key": row.key}):
            await self.jobs[row.kind](session, dict(row.payload))

    async def _run_alone(self, session: AsyncConnection, row: Any) -> bool:
        """One job in a savepoint of its own; a failure is recorded and retried later with backoff."""
        try:
            async with session.begin_nested():
                await self._run(session, row)
            return True
        except Exception as exc:  # one failing job must not stop the others
            attempts = row.attempts + 1
            _log.warning("job failed", kind=row.kind, key=row.key, attempts=attempts, error=repr(exc)[:300])
            await session.execute(
                update(due_jobs)
                .where(due_jobs.c.id == row.id)
                .values(
                    attempts=attempts,
                    last_error=repr(exc)[:2000],
                    status="failed" if attempts >= self.max_attempts else "pending",
                    due_at=func.now() + timedelta(seconds=min(2**attempts, 3600)),
                )
            )
            return False

    async def run(self) -> None:
        if not self.jobs:
            return
        while True:
            try:
                claimed = await self.run_due()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _log.warning("scheduler pass failed", error=repr(exc)[:300])
                claimed = 0
            if claimed < self.batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.sleep(self.poll_seconds)
