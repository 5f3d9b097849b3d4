"""Retention of the kit's own tables, which otherwise grow for ever: sent outbox rows, the inbox, the
Idempotency-Keys, dead letters already replayed or discarded, and finished due jobs.

A loop in every service wakes every ``retention_every_seconds`` and deletes what is older than each
table's retention, in batches of ``retention_batch`` rows, each batch a short transaction of its own
with a pause after it, so pruning a large backlog never holds locks or a transaction for long and the
hot path (the outbox, the consumers' inbox insert) goes on beside it. Rows are found by time through
BRIN indexes (kit migration 0004), and taken with ``SKIP LOCKED``, so a row in use is left for the
next round. One replica prunes at a time (an advisory lock); the others skip the round.

The defaults keep each row longer than anything can still need it:
- the inbox longer than the topics keep events (``topic_retention_ms``), so an event redelivered from
  the topic is still recognised (a shorter inbox retention is refused at start-up);
- finished due jobs longer than the inbox, so a redelivered event's ``schedule`` still finds its job
  done instead of planning it again;
- sent outbox rows as long as the inbox, for a deliberate replay;
- Idempotency-Keys for the 7-day window the API promises, and a day more.
"""

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import func, select, text

from servicekit.db import Database

RETENTION_LOCK_ID = 0x0F0A5_0003
_log = structlog.get_logger("retention")


@dataclass(frozen=True)
class Rule:
    table: str
    old: str
    """SQL condition of a row that may go, with ``:cutoff`` the moment before which it is old."""


RULES = {
    "outbox": Rule("outbox", "created_at < :cutoff AND sent_at < :cutoff"),
    "inbox": Rule("inbox", "processed_at < :cutoff"),
    "idempotency_keys": Rule("idempotency_keys", "created_at < :cutoff"),
    "dead_letters": Rule("dead_letters", "status <> 'parked' AND coalesce(replayed_at, created_at) < :cutoff"),
    "due_jobs": Rule("due_jobs", "status IN ('done', 'cancelled') AND done_at < :cutoff"),
}


class Pruner:
    def __init__(
        self,
        db: Database,
        keep: dict[str, timedelta],
        *,
        batch: int = 1000,
        pause_seconds: float = 0.05,
        every_seconds: float = 3600.0,
    ) -> None:
        unknown = set(keep) - set(RULES)
        if unknown:
            raise ValueError(f"no retention rule for {sorted(unknown)}")
        self.db = db
        self.keep = keep
        self.batch = batch
        self.pause_seconds = pause_seconds
        self.every_seconds = every_seconds
        self.pruned: dict[str, int] = dict.fromkeys(keep, 0)
        self.rounds = 0

    async def prune_batch(self, table: str) -> int:
        """Delete up to ``batch`` old rows of ``table`` in one short transaction; how many went."""
        rule = RULES[table]
        sql = text(
            f"DELETE FROM {rule.table} WHERE ctid = ANY(ARRAY("
            f"SELECT ctid FROM {rule.table} WHERE {rule.old} LIMIT :batch FOR UPDATE SKIP LOCKED)) AND {rule.old}"
        )
        async with self.db.transaction() as session:
            cutoff = await session.scalar(select(func.now() - self.keep[table]))
            result = await session.execute(sql, {"cutoff": cutoff, "batch": self.batch})
        deleted = int(result.rowcount or 0)
        self.pruned[table] += deleted
        return deleted

    async def prune(self, table: str) -> int:
        total = 0
        while True:
            deleted = await self.prune_batch(table)
            total += deleted
            if deleted < self.batch:
                return total
            await asyncio.sleep(self.pause_seconds)

    async def run_once(self) -> dict[str, int] | None:
        """One round over every table; None when another replica holds the round."""
        # the lock lives on a connection of its own outside any transaction (no snapshot held meanwhile)
        async with self.db.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            held = await conn.scalar(select(func.pg_try_advisory_lock(RETENTION_LOCK_ID)))
            if not held:
                return None
            try:
                done = {table: await self.prune(table) for table in self.keep}
            finally:
                await conn.execute(select(func.pg_advisory_unlock(RETENTION_LOCK_ID)))
        self.rounds += 1
        if any(done.values()):
            _log.info("pruned", **done)
        return done

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _log.warning("retention round failed; next round as planned", error=repr(exc)[:300])
            await asyncio.sleep(self.every_seconds)
