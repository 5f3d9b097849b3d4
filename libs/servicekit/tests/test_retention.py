"""Retention of the kit's tables: old rows go in small batches, what can still be needed stays."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fours_contracts import CloudEvent
from kit_events import Ping
from servicekit.consumer import Consumer, Message
from servicekit.db import Database
from servicekit.retention import RETENTION_LOCK_ID, Pruner
from servicekit.settings import ServiceSettings
from servicekit.tables import dead_letters, due_jobs, idempotency_keys, inbox, outbox
from sqlalchemy import func, insert, select, text
from test_outbox_and_inbox import _effects, _record

NOW = datetime.now(UTC)
OLD, RECENT = NOW - timedelta(days=20), NOW - timedelta(days=6)  # beyond and within 14 days


def _days(**keep: float) -> dict[str, timedelta]:
    return {table: timedelta(days=days) for table, days in keep.items()}


async def _left(db: Database, table: object, where: object) -> int:
    async with db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(table).where(where)) or 0)  # type: ignore[arg-type]


async def test_each_table_loses_only_its_old_finished_rows_batch_by_batch(kit_db: Database, unique: str) -> None:
    async with kit_db.transaction() as session:
        rows = []
        for n, (created, sent) in enumerate([(OLD, OLD)] * 5 + [(OLD, None), (RECENT, RECENT), (OLD, RECENT)]):
            rows.append(
                {
                    "event_id": str(uuid.uuid4()),
                    "topic": f"kit.retention.{unique}",
                    "key": str(n),
                    "type": "t",
                    "headers": [],
                    "payload": "{}",
                    "created_at": created,
                    "sent_at": sent,
                }
            )
        await session.execute(insert(outbox), rows)
        await session.execute(
            insert(idempotency_keys),
            [
                {"scope": unique, "key": key, "request_hash": "h", "created_at": at}
                for key, at in (("a", OLD), ("b", RECENT))
            ],
        )
        await session.execute(
            insert(dead_letters),
            [
                {
                    "topic": unique,
                    "partition": 0,
                    "offset": n,
                    "headers": {},
                    "payload": "{}",
                    "error": "e",
                    "attempts": 1,
                    "status": status,
                    "created_at": OLD,
                    "replayed_at": replayed,
                }
                for n, (status, replayed) in enumerate([("replayed", OLD), ("parked", None), ("replayed", RECENT)])
            ],
        )
        await session.execute(
            insert(due_jobs),
            [
                {"kind": f"kit.retention.{unique}", "key": str(n), "due_at": OLD, "status": status, "done_at": done}
                for n, (status, done) in enumerate(
                    [("done", OLD), ("cancelled", OLD), ("failed", OLD), ("pending", None), ("done", RECENT)]
                )
            ],
        )

    pruner = Pruner(
        kit_db,
        _days(outbox=14, idempotency_keys=8, dead_letters=14, due_jobs=14),
        batch=2,
        pause_seconds=0,
    )
    done = await pruner.run_once()
    assert done is not None and done["outbox"] >= 5  # five of ours (in three batches of two), others' maybe

    topic = outbox.c.topic == f"kit.retention.{unique}"
    assert await _left(kit_db, outbox, topic) == 3  # the pending one, the recent one, the one sent lately
    assert await _left(kit_db, outbox, topic & outbox.c.sent_at.is_(None)) == 1
    assert await _left(kit_db, idempotency_keys, idempotency_keys.c.scope == unique) == 1
    kept = await _left(kit_db, dead_letters, dead_letters.c.topic == unique)
    assert kept == 2  # the parked one waits for someone; the recently replayed one stays a while
    jobs = due_jobs.c.kind == f"kit.retention.{unique}"
    async with kit_db.transaction() as session:
        statuses = sorted((await session.execute(select(due_jobs.c.status).where(jobs))).scalars())
    assert statuses == ["done", "failed", "pending"]  # failed waits for a look; the recent done stays


async def test_a_pruned_inbox_still_refuses_an_event_redelivered_within_the_topics_retention(
    kit_db: Database, unique: str
) -> None:
    settings = ServiceSettings()  # the defaults: topics keep 7 days, the inbox 14
    consumer = Consumer(kit_db, None, group_id=f"kittest-{unique}", handlers={Ping: _record})  # type: ignore[arg-type]

    def delivered(ping: Ping) -> tuple[CloudEvent, Message]:
        envelope = CloudEvent.wrap(ping, source="/test")
        return envelope, Message(Ping.topic(), 0, 0, unique, envelope.kafka_headers(), envelope.kafka_value())

    six_days, twenty_days = delivered(Ping(ping_id=f"{unique}-6d", n=1)), delivered(Ping(ping_id=f"{unique}-20d", n=2))
    for (envelope, message), at in ((six_days, RECENT), (twenty_days, OLD)):
        assert await consumer.handle(message)  # processed once …
        async with kit_db.transaction() as session:  # … that long ago
            await session.execute(
                text("UPDATE inbox SET processed_at = :at WHERE event_id = :id"), {"at": at, "id": envelope.id}
            )

    await Pruner(kit_db, {"inbox": settings.retention()["inbox"]}, batch=1, pause_seconds=0).run_once()

    assert await _left(kit_db, inbox, inbox.c.event_id == twenty_days[0].id) == 0  # older than any topic keeps
    assert await _left(kit_db, inbox, inbox.c.event_id == six_days[0].id) == 1
    assert not await consumer.handle(six_days[1])  # the broker delivers it again: still known, skipped
    assert await _effects(kit_db, f"{unique}-6d") == [f"{unique}-6d"]


async def test_one_replica_prunes_at_a_time(kit_db: Database) -> None:
    async with kit_db.engine.connect() as other:
        other = await other.execution_options(isolation_level="AUTOCOMMIT")
        assert await other.scalar(select(func.pg_try_advisory_lock(RETENTION_LOCK_ID)))
        try:
            assert await Pruner(kit_db, _days(inbox=14)).run_once() is None
        finally:
            await other.execute(select(func.pg_advisory_unlock(RETENTION_LOCK_ID)))
    assert await Pruner(kit_db, _days(inbox=14)).run_once() is not None


def test_an_inbox_kept_shorter_than_the_topics_keep_events_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="counted twice"):
        ServiceSettings(retention_inbox_days=3)  # topics keep 7 days
    with pytest.raises(ValueError, match="plan a finished job again"):
        ServiceSettings(retention_due_jobs_days=10)
    one_day_topics = ServiceSettings(topic_retention_ms=86_400_000, retention_inbox_days=2)
    assert one_day_topics.retention()["inbox"] == timedelta(days=2)


def test_a_table_without_a_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="no retention rule"):
        Pruner(None, _days(audit_log=30))  # type: ignore[arg-type]
