"""Committed offsets that point past events the consumer never handled (what a memory-only broker
leaves after a restart): read again from the start only when the setting says so."""

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer
from fours_contracts import CloudEvent, DomainEvent
from fours_devstack.testing import eventually, group_timing
from servicekit import outbox
from servicekit.broker import Broker
from servicekit.consumer import Consumer
from servicekit.db import Database
from servicekit.relay import Relay
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from test_outbox_and_inbox import _effects


class Pong(DomainEvent):
    """On a topic of its own: re-reading it meets only these tests' events."""

    event_type = "fours.kittest.pong.v1"
    producer = "kittest-reread"

    pong_id: str

    def subject(self) -> str:
        return self.pong_id


async def _record(session: AsyncConnection, event: Pong, envelope: CloudEvent) -> None:
    await session.execute(
        text("INSERT INTO effects (event_id, value) VALUES (:id, :v)"), {"id": envelope.id, "v": event.pong_id}
    )


async def _publish(db: Database, relay: Relay, *ids: str) -> None:
    async with db.transaction() as session:
        for pong_id in ids:
            await outbox.publish(session, Pong(pong_id=pong_id))
    while await relay.publish_pending():
        pass


@pytest.mark.parametrize("reread", [False, True])
async def test_offsets_committed_past_unhandled_events_are_read_from_the_start_only_when_set(
    kit_db: Database, broker: Broker, unique: str, reread: bool
) -> None:
    topic, group = Pong.topic(), f"kittest-reread-{unique}"
    await broker.ensure_topics([topic, f"{topic}.dlq"])
    relay = Relay(kit_db, broker, topic)
    early = [f"{unique}-early-{n}" for n in range(4)]
    await _publish(kit_db, relay, *early)
    # A member of the group reads them and commits, handling nothing (what the dev broker's restart can
    # leave: offsets past events the service never handled).
    reader = AIOKafkaConsumer(
        topic,
        bootstrap_servers=broker.bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **group_timing(),
    )
    await reader.start()
    try:
        seen: set[str] = set()
        async with asyncio.timeout(30):
            while not set(early) <= seen:
                for records in (await reader.getmany(timeout_ms=1000)).values():
                    seen |= {CloudEvent.from_kafka(r.headers, r.value or b"").data["pong_id"] for r in records}
        await reader.commit()
    finally:
        await reader.stop()

    consumer = Consumer(
        kit_db, broker, group_id=group, handlers={Pong: _record}, reread_on_assignment=reread, **group_timing()
    )
    task = asyncio.create_task(consumer.run())
    try:
        await _publish(kit_db, relay, f"{unique}-late")
        expected = {f"{unique}-late", *(early if reread else ())}
        await eventually(lambda: _handled(kit_db, unique, expected), timeout=30)
        await asyncio.sleep(0.5)  # the early ones, were they to come, came in the same fetch
        assert set(await _effects(kit_db, unique)) == expected
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await broker.close()


async def _handled(db: Database, prefix: str, ids: set[str]) -> bool:
    return ids <= set(await _effects(db, prefix))
