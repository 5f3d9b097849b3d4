"""A broker that lost a topic's events: republished on the dev broker, only reported on production's."""

import uuid
from datetime import UTC, datetime

import pytest
import structlog
from servicekit.broker import Broker
from servicekit.db import Database
from servicekit.relay import Relay
from servicekit.tables import outbox
from sqlalchemy import delete, func, insert, select


async def _sent_rows(db: Database, topic: str, n: int) -> None:
    async with db.transaction() as session:
        await session.execute(
            insert(outbox),
            [
                {
                    "event_id": str(uuid.uuid4()),
                    "topic": topic,
                    "key": f"k{i}",
                    "type": "fours.kit.ping.v1",
                    "headers": [],
                    "payload": "{}",
                    "sent_at": datetime.now(UTC),
                }
                for i in range(n)
            ],
        )


async def _unsent(db: Database, topic: str) -> int:
    async with db.transaction() as session:
        return int(
            await session.scalar(select(func.count()).where(outbox.c.topic == topic, outbox.c.sent_at.is_(None))) or 0
        )


@pytest.mark.parametrize("republish", [False, True])
async def test_a_topic_missing_with_events_already_sent_is_republished_only_when_the_setting_says_so(
    kit_db: Database, broker: Broker, unique: str, republish: bool
) -> None:
    topic = f"kit.lost.{unique}"
    await _sent_rows(kit_db, topic, 4)
    relay = Relay(kit_db, broker, topic, republish_on_missing_topic=republish)
    try:
        with structlog.testing.capture_logs() as logs:
            await relay.prepare()
        assert relay.topic_losses == 1
        assert await _unsent(kit_db, topic) == (4 if republish else 0)
        [said] = [entry for entry in logs if entry["log_level"] in ("warning", "error")]
        assert said["log_level"] == ("warning" if republish else "error")
        assert said["topic"] == topic and said["created"] is True

        with structlog.testing.capture_logs() as logs:  # asked again, on the next reconnect
            await relay.prepare()
        if republish:  # published again (or about to be): nothing is lost any more
            assert relay.topic_losses == 1 and not [e for e in logs if e["log_level"] == "error"]
        else:  # still empty, still holding none of the sent events: said again, still not republished
            assert relay.topic_losses == 2 and [e["log_level"] for e in logs] == ["error"]
            assert await _unsent(kit_db, topic) == 0
    finally:
        async with kit_db.transaction() as session:
            await session.execute(delete(outbox).where(outbox.c.topic == topic))
        await broker.close()


async def test_a_topic_whose_end_is_behind_what_the_broker_acknowledged_counts_as_lost(
    kit_db: Database, broker: Broker, unique: str
) -> None:
    topic = f"kit.behind.{unique}"
    await broker.ensure_topics([topic])
    relay = Relay(kit_db, broker, topic)
    relay._acked = {(topic, 0): 41}  # what this relay saw acknowledged before the broker forgot it
    with structlog.testing.capture_logs() as logs:
        await relay.prepare()
    assert relay.topic_losses == 1 and relay._acked == {}
    [said] = [entry for entry in logs if entry["log_level"] == "error"]
    assert said["created"] is False and said["end_offsets"] == {0: 0, 1: 0, 2: 0}


async def test_an_empty_topic_with_nothing_sent_to_it_is_simply_new(
    kit_db: Database, broker: Broker, unique: str
) -> None:
    relay = Relay(kit_db, broker, f"kit.new.{unique}")
    relay_topic_rows = await _unsent(kit_db, relay.topic)
    await relay.prepare()
    await relay.prepare()
    assert relay.topic_losses == 0 and relay_topic_rows == 0
