"""servicekit.scheduler.Recurring on the real database: each run plans the next, keyed by its time,
once however often it is planned; a job from an older version without ``run_at`` runs as of now."""

from datetime import UTC, datetime, timedelta
from typing import Any

from servicekit.db import Database
from servicekit.scheduler import Recurring, Scheduler
from servicekit.tables import due_jobs
from sqlalchemy import select


async def test_each_run_plans_the_next_once(kit_db: Database, unique: str) -> None:
    ran: list[datetime] = []

    async def run(_: Any, at: datetime) -> None:
        ran.append(at)

    weekly = Recurring(f"test.weekly.{unique}", lambda after: after + timedelta(days=7), run)
    first = datetime(2026, 11, 23, tzinfo=UTC)
    async with kit_db.transaction() as session:
        for _ in range(3):  # three replicas starting
            await weekly.plan_after(session, first - timedelta(days=7))
    scheduler = Scheduler(kit_db, {weekly.kind: weekly.handle})
    assert await scheduler.run_due(now=first) == 1
    assert ran == [first]
    async with kit_db.transaction() as session:
        pending = (
            (
                await session.execute(
                    select(due_jobs.c.key).where(due_jobs.c.kind == weekly.kind, due_jobs.c.status == "pending")
                )
            )
            .scalars()
            .all()
        )
        await weekly.handle(session, {"day": "2026-11-20"})  # an old payload
    assert pending == [(first + timedelta(days=7)).isoformat()]
    assert datetime.now(UTC) - ran[-1] < timedelta(seconds=5)
