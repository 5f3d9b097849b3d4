"""Outbox → relay → broker → consumer with inbox, against the real PostgreSQL and broker."""

import asyncio
from datetime import UTC, datetime
from typing import Any

from fours_contracts import CloudEvent
from fours_devstack.testing import eventually, group_timing
from kit_events import Ping
from servicekit import outbox
from servicekit.broker import Broker
from servicekit.consumer import Consumer, Message
from servicekit.db import Database
from servicekit.relay import Relay
from servicekit.scheduler import Scheduler, schedule
from servicekit.tables import dead_letters, due_jobs
from servicekit.tables import outbox as outbox_table
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection


async def _record(session: AsyncConnection, event: Ping, envelope: CloudEvent) -> None:
    if event.n < 0:
        raise RuntimeError("a negative ping always fails")
    await session.execute(
        text("INSERT INTO effects (event_id, value) VALUES (:id, :v)"),
        {"id": envelope.id, "v": event.ping_id},
    )


async def _effects(db: Database, prefix: str) -> list[Any]:
    async with db.transaction() as session:
        return list(
            (
                await session.execute(text("SELECT value FROM effects WHERE value LIKE :p"), {"p": f"{prefix}%"})
            ).scalars()
        )


async def _running(*loops: Any) -> list[asyncio.Task[None]]:
    return [asyncio.create_task(loop) for loop in loops]


async def _stop(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_events_committed_while_the_relay_was_down_arrive_once_after_restart(
    kit_db: Database, broker: Broker, unique: str
) -> None:
    async with kit_db.transaction() as session:
        for n in range(5):
            await outbox.publish(session, Ping(ping_id=f"{unique}-{n}", n=n))
    consumer = Consumer(
        kit_db,
        broker,
        group_id=f"kittest-{unique}",
        **group_timing(),
        handlers={Ping: _record},
    )
    tasks = await _running(consumer.run(), Relay(kit_db, broker, Ping.topic(), poll_seconds=0.05).run())
    try:
        got = await eventually(lambda: _len_at_least(kit_db, unique, 5))
        assert sorted(got) == sorted(f"{unique}-{n}" for n in range(5))
    finally:
        await _stop(tasks)
        await broker.close()


async def test_events_published_twice_by_a_relay_that_crashed_before_marking_them_count_once(
    kit_db: Database, broker: Broker, unique: str
) -> None:
    async with kit_db.transaction() as session:
        envelopes = [await outbox.publish(session, Ping(ping_id=f"{unique}-{n}", n=n)) for n in range(3)]
    ids = [e.id for e in envelopes]
    relay = Relay(kit_db, broker, Ping.topic(), poll_seconds=0.05)
    consumer = Consumer(
        kit_db,
        broker,
        group_id=f"kittest-{unique}",
        **group_timing(),
        handlers={Ping: _record},
    )
    tasks = await _running(consumer.run(), relay.run())
    try:
        await eventually(lambda: _len_at_least(kit_db, unique, 3))
        # The broker acked, the relay died before its commit: the rows are pending again.
        async with kit_db.transaction() as session:
            await session.execute(update(outbox_table).where(outbox_table.c.event_id.in_(ids)).values(sent_at=None))
        relay._wake.set()
        await eventually(lambda: _all_sent(kit_db, ids))
        await asyncio.sleep(0.5)
        assert len(await _effects(kit_db, unique)) == 3
        assert consumer.processed == 3
    finally:
        await _stop(tasks)
        await broker.close()


async def test_poison_and_failing_events_are_parked_and_the_stream_goes_on(
    kit_db: Database, broker: Broker, unique: str
) -> None:
    consumer = Consumer(
        kit_db,
        broker,
        group_id=f"kittest-{unique}",
        **group_timing(),
        handlers={Ping: _record},
        max_attempts=2,
        backoff_seconds=0.01,
    )
    producer = await broker.producer()
    await broker.ensure_topics([Ping.topic()])
    poison = CloudEvent(source="/test", type=Ping.event_type, subject=unique, data={"ping_id": unique})
    failing = CloudEvent.wrap(Ping(ping_id=f"{unique}-neg", n=-1), source="/test")
    good = CloudEvent.wrap(Ping(ping_id=f"{unique}-ok", n=1), source="/test")
    for envelope in (poison, failing, good):
        await producer.send_and_wait(
            Ping.topic(), envelope.kafka_value(), key=unique.encode(), headers=envelope.kafka_headers()
        )
    await producer.send_and_wait(Ping.topic(), b"not json", key=unique.encode(), headers=[])
    tasks = await _running(consumer.run())
    try:
        assert await eventually(lambda: _effects(kit_db, f"{unique}-ok"))

        async def parked() -> list[Any] | None:
            async with kit_db.transaction() as session:
                rows = (await session.execute(select(dead_letters).where(dead_letters.c.key == unique))).all()
            return rows if len(rows) == 3 else None

        rows = await eventually(parked)
        by_event = {r.event_id: r for r in rows}
        assert "ValidationError" in by_event[poison.id].error and by_event[poison.id].attempts == 1
        assert "RuntimeError" in by_event[failing.id].error and by_event[failing.id].attempts == 2
        assert any("EnvelopeError" in r.error for r in rows)
    finally:
        await _stop(tasks)
        await broker.close()


async def test_due_jobs_run_once_with_two_scheduler_replicas(kit_db: Database, unique: str) -> None:
    async def job(session: AsyncConnection, payload: dict[str, Any]) -> None:
        await session.execute(text("INSERT INTO effects (event_id, value) VALUES ('job', :v)"), {"v": payload["v"]})

    async with kit_db.transaction() as session:
        for n in range(200):
            await schedule(session, f"test-{unique}", str(n), datetime.now(UTC), {"v": f"{unique}-{n}"})
            await schedule(session, f"test-{unique}", str(n), datetime.now(UTC), {"v": f"{unique}-{n}"})  # idempotent
    replicas = [Scheduler(kit_db, {f"test-{unique}": job}, poll_seconds=0.01, batch=7) for _ in range(2)]
    tasks = await _running(*(r.run() for r in replicas))
    try:
        await eventually(lambda: _len_at_least(kit_db, unique, 200))
        await asyncio.sleep(0.2)
    finally:
        await _stop(tasks)
    values = await _effects(kit_db, unique)
    assert len(values) == len(set(values)) == 200
    assert all(r.ran > 0 for r in replicas), "both replicas took part"


async def _len_at_least(db: Database, prefix: str, n: int) -> list[Any] | None:
    values = await _effects(db, prefix)
    return values if len(values) >= n else None


async def _all_sent(db: Database, ids: list[str]) -> bool:
    async with db.transaction() as session:
        pending = await session.scalar(
            select(func.count()).where(outbox_table.c.event_id.in_(ids), outbox_table.c.sent_at.is_(None))
        )
    return pending == 0


async def test_a_database_outage_never_parks_an_event(kit_db: Database, broker: Broker, unique: str) -> None:
    failures = {"left": 2}

    async def flaky(session: AsyncConnection, event: Ping, envelope: CloudEvent) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionRefusedError("database restarting")
        await _record(session, event, envelope)

    consumer = Consumer(
        kit_db,
        broker,
        group_id=f"kittest-{unique}",
        handlers={Ping: flaky},
        max_attempts=1,
        **group_timing(),
    )
    async with kit_db.transaction() as session:
        await outbox.publish(session, Ping(ping_id=f"{unique}-db", n=1))
    tasks = await _running(consumer.run(), Relay(kit_db, broker, Ping.topic(), poll_seconds=0.05).run())
    try:
        assert await eventually(lambda: _effects(kit_db, f"{unique}-db"), timeout=20)
    finally:
        await _stop(tasks)
        await broker.close()
    assert failures["left"] == 0
    async with kit_db.transaction() as session:
        parked = await session.scalar(select(func.count()).where(dead_letters.c.key == f"{unique}-db"))
    assert parked == 0


async def test_a_failing_job_is_retried_later_and_does_not_stop_its_batch(kit_db: Database, unique: str) -> None:
    async def job(session: AsyncConnection, payload: dict[str, Any]) -> None:
        if payload["v"].endswith("-3"):
            raise ValueError("this one is broken")
        await session.execute(text("INSERT INTO effects (event_id, value) VALUES ('job', :v)"), {"v": payload["v"]})

    kind = f"fail-{unique}"
    async with kit_db.transaction() as session:
        for n in range(6):
            await schedule(session, kind, str(n), datetime.now(UTC), {"v": f"{unique}-{n}"})
    scheduler = Scheduler(kit_db, {kind: job}, batch=10)
    assert await scheduler.run_due() == 6
    assert sorted(await _effects(kit_db, unique)) == sorted(f"{unique}-{n}" for n in (0, 1, 2, 4, 5))
    async with kit_db.transaction() as session:
        rows = (await session.execute(select(due_jobs).where(due_jobs.c.kind == kind).order_by(due_jobs.c.key))).all()
    assert [r.status for r in rows] == ["done", "done", "done", "pending", "done", "done"]
    assert rows[3].attempts == 1 and "this one is broken" in rows[3].last_error
    assert rows[3].due_at > rows[0].due_at, "retried later, with backoff"
    assert await scheduler.run_due() == 0  # not due again yet


def _first_offset(unique: str) -> int:
    """Where a test's made-up messages start: far past any event really on the topic, and apart from
    other tests' (a parked event is kept once per position, so one parked by the poison test at the
    same offset would hide this test's)."""
    return int(unique, 16) * 1_000


def _made_up(unique: str, offset: int, ping: Ping) -> Message:
    """A message as a fetch hands it over, never sent to the broker."""
    envelope = CloudEvent.wrap(ping, source="/test")
    return Message(
        Ping.topic(), 0, _first_offset(unique) + offset, unique, envelope.kafka_headers(), envelope.kafka_value()
    )


async def test_a_batch_counts_each_event_once_and_one_failing_event_holds_back_none_of_the_others(
    kit_db: Database, broker: Broker, unique: str
) -> None:
    consumer = Consumer(
        kit_db, broker, group_id=f"kittest-{unique}", handlers={Ping: _record}, max_attempts=2, backoff_seconds=0.01
    )

    try:
        clean = [_made_up(unique, n, Ping(ping_id=f"{unique}-clean-{n}", n=n)) for n in range(3)]
        await consumer.process_batch(clean)
        await consumer.process_batch(clean)  # delivered again: the inbox knows them
        assert sorted(await _effects(kit_db, f"{unique}-clean")) == [f"{unique}-clean-{n}" for n in range(3)]
        assert consumer.processed == 3

        mixed = [
            _made_up(unique, 10, Ping(ping_id=f"{unique}-mixed-a", n=1)),
            _made_up(unique, 11, Ping(ping_id=f"{unique}-bad", n=-1)),
            _made_up(unique, 12, Ping(ping_id=f"{unique}-mixed-b", n=2)),
        ]
        await consumer.process_batch(mixed)
        assert sorted(await _effects(kit_db, f"{unique}-mixed")) == [f"{unique}-mixed-a", f"{unique}-mixed-b"]
        assert (consumer.processed, consumer.parked) == (5, 1)
        async with kit_db.transaction() as session:
            parked = (await session.execute(select(dead_letters).where(dead_letters.c.key == unique))).all()
        assert [(row.offset, row.attempts) for row in parked] == [(_first_offset(unique) + 11, 2)]
    finally:
        await broker.close()


async def test_several_handlers_of_one_event_run_in_order_in_one_transaction_and_a_failure_undoes_them_all(
    kit_db: Database, broker: Broker, unique: str
) -> None:
    async def second(session: AsyncConnection, event: Ping, envelope: CloudEvent) -> None:
        if event.n == 7:
            raise RuntimeError("the second reaction fails")
        await session.execute(
            text("INSERT INTO effects (event_id, value) VALUES (:id, :v)"),
            {"id": envelope.id, "v": f"{event.ping_id}-second"},
        )

    consumer = Consumer(
        kit_db, broker, group_id=f"kittest-{unique}", handlers={Ping: [_record, second]}, max_attempts=1
    )

    try:
        once = _made_up(unique, 0, Ping(ping_id=f"{unique}-both", n=1))
        await consumer.process_batch([once, once])
        assert sorted(await _effects(kit_db, f"{unique}-both")) == [f"{unique}-both", f"{unique}-both-second"]
        await consumer.process_batch([_made_up(unique, 1, Ping(ping_id=f"{unique}-half", n=7))])
        assert await _effects(kit_db, f"{unique}-half") == []  # the first reaction is undone with the second
        assert consumer.parked == 1
    finally:
        await broker.close()
