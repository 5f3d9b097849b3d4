"""Outbox relay: publishes pending rows in id order and marks them sent only after the broker acked.

Several replicas are safe: a batch is taken under a transaction-scoped advisory lock (so one relay
publishes at a time and per-key order holds across replicas) with ``FOR UPDATE SKIP LOCKED``.
A crash between the broker's ack and the commit publishes the batch again: at-least-once, which the
consumers' inbox turns into exactly-once in effect.
"""

import asyncio
import contextlib
from typing import Any

import structlog
from sqlalchemy import CursorResult, func, select, update

from servicekit.broker import Broker
from servicekit.db import Database
from servicekit.tables import outbox

RELAY_LOCK_ID = 0x0F0A5_0001
_log = structlog.get_logger("relay")


class Relay:
    def __init__(
        self, db: Database, broker: Broker, topic: str, *, batch: int = 500, poll_seconds: float = 0.5
    ) -> None:
        self.db = db
        self.broker = broker
        self.topic = topic
        self.batch = batch
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self.published = 0
        db.on_outbox_commit(self._wake.set)

    async def prepare(self) -> None:
        """Make sure our topic exists. A topic we had to create means a fresh broker (the dev broker keeps
        messages in memory only): everything already sent is published again, in order, and the
        consumers' inbox drops what they had seen."""
        created = await self.broker.ensure_topics([self.topic])
        if self.topic in created:
            async with self.db.transaction() as session:
                result: CursorResult[Any] = await session.execute(  # type: ignore[assignment]
                    update(outbox)
                    .where(outbox.c.topic == self.topic, outbox.c.sent_at.is_not(None))
                    .values(sent_at=None)
                )
            if result.rowcount:
                _log.warning("fresh broker: republishing sent events", topic=self.topic, events=result.rowcount)

    async def publish_pending(self) -> int:
        async with self.db.transaction() as session:
            if not await session.scalar(select(func.pg_try_advisory_xact_lock(RELAY_LOCK_ID))):
                return 0
            # marked sent and read in one statement; should a send fail, the transaction rolls the mark back
            pending = (
                select(outbox.c.id)
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            )
            marked = await session.execute(
                update(outbox)
                .where(outbox.c.id.in_(pending.scalar_subquery()))
                .values(sent_at=func.now())
                .returning(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.headers, outbox.c.payload)
            )
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
            await asyncio.gather(*acks)
        self.published += len(rows)
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
