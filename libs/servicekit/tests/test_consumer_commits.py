"""Offsets are committed less often than batches are handled (``commit_interval_ms``), but never lost:
what a member handled is committed once its stream goes quiet or it stops, so the group's next
member starts after it."""

import asyncio

from fours_contracts import CloudEvent
from fours_devstack.testing import eventually, group_timing
from servicekit.broker import Broker
from servicekit.consumer import Consumer
from servicekit.db import Database
from servicekit.relay import Relay
from sqlalchemy.ext.asyncio import AsyncConnection
from test_outbox_and_inbox import _effects
from test_reread_on_assignment import Pong, _handled, _publish, _record


async def test_what_a_member_handled_is_committed_when_its_stream_goes_quiet_and_when_it_stops(
    kit_db: Database, broker: Broker, unique: str
) -> None:
    topic, group = Pong.topic(), f"kittest-commits-{unique}"
    await broker.ensure_topics([topic, f"{topic}.dlq"])
    relay = Relay(kit_db, broker, topic)
    first = Consumer(
        kit_db, broker, group_id=group, handlers={Pong: _record}, commit_interval_ms=600_000, **group_timing()
    )
    task = asyncio.create_task(first.run())
    try:
        early = {f"{unique}-early-{n}" for n in range(3)}
        await _publish(kit_db, relay, *early)
        await eventually(lambda: _handled(kit_db, unique, early), timeout=30)
        # quiet now: committed long before the ten-minute interval
        await eventually(lambda: _committed_all(first, broker, group), timeout=10)
        await _publish(kit_db, relay, f"{unique}-just-before-stop")
        await eventually(lambda: _handled(kit_db, unique, {f"{unique}-just-before-stop"}), timeout=30)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    seen_again: list[str] = []

    async def note(session: AsyncConnection, event: Pong, envelope: CloudEvent) -> None:
        seen_again.append(event.pong_id)

    second = Consumer(kit_db, broker, group_id=group, handlers={Pong: note}, **group_timing())
    task = asyncio.create_task(second.run())
    try:
        await _publish(kit_db, relay, f"{unique}-late")
        await eventually(lambda: _noted(seen_again, f"{unique}-late"), timeout=30)
        await asyncio.sleep(0.5)
        # the inbox would have dropped repeats anyway; the committed offsets meant none came
        assert [pong for pong in seen_again if pong.startswith(unique)] == [f"{unique}-late"]
        assert len(await _effects(kit_db, unique)) == 4
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await broker.close()


async def _noted(seen: list[str], pong_id: str) -> bool:
    return pong_id in seen


async def _committed_all(consumer: Consumer, broker: Broker, group: str) -> bool:
    """The group's committed offsets have reached every partition's end."""
    client = consumer._client
    if client is None or not client.assignment():
        return False
    ends = await broker.end_offsets(Pong.topic())
    for tp in client.assignment():
        if (await client.committed(tp) or 0) < ends.get(tp.partition, 0):
            return False
    return True
