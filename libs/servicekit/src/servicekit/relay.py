"""Outbox relay: publishes pending rows in id order and marks them sent only after the broker acked.

Several replicas are safe: a batch is taken under a transaction-scoped advisory lock (so one relay
publishes at a time and per-key order holds across replicas) with ``FOR UPDATE SKIP LOCKED``.
A crash between the broker's ack and the commit publishes the batch again: at-least-once, which the
consumers' inbox turns into exactly-once in effect.

A broker that lost the topic's events (tansu, which keeps them in memory only, restarted; or a topic
an operator deleted on Kafka) is noticed when the relay connects again: the topic is missing, or its
end offsets are behind what this relay saw acknowledged, or it is empty while the outbox holds sent
rows. With ``republish_on_missing_topic`` (the dev broker's setting) everything already sent is
published again, in order, and the consumers' inbox drops what they had seen; without it (production)
the relay logs an error and republishes nothing.
"""

import asyncio
import contextlib
from typing import Any

import structlog
from sqlalchemy import CursorResult, bindparam, exists, func, select, update

from servicekit.broker import Broker
from servicekit.db import Database
from servicekit.tables import outbox

RELAY_LOCK_ID = 0x0F0A5_0001
_log = structlog.get_logger("relay")


_ONE_RELAY = select(func.pg_try_advisory_xact_lock(RELAY_LOCK_ID))
_MARK_PENDING = (
    update(outbox)
    .where(
        outbox.c.id.in_(
            select(outbox.c.id)
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.id)
            .limit(bindparam("batch"))
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
    )
    .values(sent_at=func.now())
    .returning(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.headers, outbox.c.payload)
)
"""A relay pass's two statements, built once: a busy producer's relay makes a pass for nearly every
commit."""


class Relay:
    def __init__(
        self,
        db: Database,
        broker: Broker,
        topic: str,
        *,
        batch: int = 500,
        poll_seconds: float = 0.5,
        republish_on_missing_topic: bool = False,
    ) -> None:
        self.db = db
        self.broker = broker
        self.topic = topic
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.republish_on_missing_topic = republish_on_missing_topic
        self._wake = asyncio.Event()
        self.published = 0
        self.topic_losses = 0
        self._acked: dict[tuple[str, int], int] = {}
        """The highest offset the broker acknowledged per (topic, partition), since this relay started."""
        db.on_outbox_commit(self._wake.set)

    async def prepare(self) -> None:
        """Make sure our topic exists and still holds what we published (see the module's notes)."""
        created = self.topic in await self.broker.ensure_topics([self.topic])
        ends = await self.broker.end_offsets(self.topic)
        acked = {partition: offset for (topic, partition), offset in self._acked.items() if topic == self.topic}
        behind = any(ends.get(partition, 0) <= offset for partition, offset in acked.items())
        if not behind:
            if sum(ends.values()):
                return  # it holds events: ours, as far as anyone can tell
            async with self.db.transaction() as session:  # empty (or just created): new, unless we sent to it
                sent = select(exists().where(outbox.c.topic == self.topic, outbox.c.sent_at.is_not(None)))
                if not await session.scalar(sent):
                    return
        await self._lost(created=created, end_offsets=ends)

    async def _lost(self, **detail: Any) -> None:
        """The broker no longer holds events it acknowledged: republish them all, or say so loudly."""
        self._acked.clear()
        self.topic_losses += 1
        if not self.republish_on_missing_topic:
            _log.error(
                "the broker lost this topic's events (the topic was deleted or the broker's storage lost); "
                "nothing is published again: replay from the outbox deliberately if they must reach the "
                "consumers (RELAY_REPUBLISH_ON_MISSING_TOPIC is for the memory-only dev broker)",
                topic=self.topic,
                **detail,
            )
            return
        async with self.db.transaction() as session:
            result: CursorResult[Any] = await session.execute(
                update(outbox).where(outbox.c.topic == self.topic, outbox.c.sent_at.is_not(None)).values(sent_at=None)
            )
        _log.warning("fresh broker: republishing sent events", topic=self.topic, events=result.rowcount, **detail)

    async def publish_pending(self) -> int:
        regressed: list[int] = []
        async with self.db.transaction() as session:
            if not await session.scalar(_ONE_RELAY):
                return 0
            # marked sent and read in one statement; should a send fail, the transaction rolls the mark back
            marked = await session.execute(_MARK_PENDING, {"batch": self.batch})
            rows = sorted(marked.all(), key=lambda row: row.id)  # RETURNING keeps no order
            if not rows:
                return 0
            producer = await self.broker.producer()
            acks = [
                await producer.send(
                    row.topic,
                    row.payload.encode(),
                    key=row.key.encode(),
                    headers=[(k, v.encode()) for k, v in row.headers],
                )
                for row in rows
            ]
            for meta in await asyncio.gather(*acks):
                at = (meta.topic, meta.partition)
                if meta.offset <= self._acked.get(at, -1) and meta.topic == self.topic:
                    regressed.append(meta.partition)  # a fresh topic took the send without an error
                else:
                    self._acked[at] = meta.offset
        self.published += len(rows)
        if regressed:
            await self._lost(partitions=sorted(set(regressed)))
        return len(rows)

    async def run(self) -> None:
        backoff = self.poll_seconds
        prepared = False
        while True:
            try:
                if not prepared:
                    await self.prepare()
                    prepared = True
                sent = await self.publish_pending()
                backoff = self.poll_seconds
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _log.warning("relay failed; retrying", error=repr(exc)[:300], retry_in=backoff)
                await self.broker.reset()
                prepared = False
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            if sent < self.batch:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
