"""Consumer runner: one group id per service, inbox de-duplication, retries, dead letters.

A handler's effects and the event id go into one transaction; an id seen before is skipped, so an
event redelivered by the broker or republished by a relay counts once. Poison events (unreadable
envelope, data failing the contract, or a handler's ``PoisonEvent``) are parked at once; other
failures retry with backoff and are parked after ``max_attempts``. Parked events land in
``dead_letters`` and ``<topic>.dlq``, and the stream goes on.
"""

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener
from aiokafka.structs import ConsumerRecord, TopicPartition
from fours_contracts import CloudEvent, DomainEvent, EnvelopeError
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlalchemy import Text, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from servicekit import tracing
from servicekit.broker import Broker
from servicekit.db import Database
from servicekit.errors import Problem
from servicekit.requests import bind_request_id
from servicekit.tables import dead_letters, inbox

Handler = Callable[[AsyncConnection, Any, CloudEvent], Awaitable[None]]
Handlers = Mapping[type[DomainEvent], Handler | Sequence[Handler]]
"""What a service does with each event type it consumes: one handler, or several (each feature that
reacts has its own), run in order in the one transaction that also records the event in the inbox."""
_log = structlog.get_logger("consumer")
_INTO_INBOX = (
    pg_insert(inbox)
    .from_select(
        ["event_id", "type", "topic"],
        select(
            func.unnest(bindparam("event_ids", type_=ARRAY(Text))),
            func.unnest(bindparam("types", type_=ARRAY(Text))),
            func.unnest(bindparam("topics", type_=ARRAY(Text))),
        ),
    )
    .on_conflict_do_nothing()
    .returning(inbox.c.event_id)
)
"""A batch's event ids (or one message's) into the inbox in one statement of one shape whatever the
batch's size (arrays, not a VALUES row each), built once; the ids that come back are the ones it did
not have."""


class PoisonEvent(Exception):
    """The event can never be processed as it is; retrying will not help."""


PERMANENT = (EnvelopeError, ValidationError, PoisonEvent, Problem)


def is_outage(exc: BaseException) -> bool:
    """The database is unreachable: not the event's fault, so it is never parked for it; the record
    stays uncommitted and comes again once the consumer reconnects."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout | OSError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


@dataclass(frozen=True)
class Message:
    """What the runner needs of a Kafka record; also rebuilt from a dead letter for replay."""

    topic: str
    partition: int
    offset: int
    key: str | None
    headers: list[tuple[str, bytes]]
    value: bytes

    @classmethod
    def of(cls, record: ConsumerRecord[bytes, bytes]) -> "Message":
        return cls(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key.decode("utf-8", "replace") if record.key else None,
            headers=list(record.headers),
            value=record.value or b"",
        )


class Consumer:
    def __init__(
        self,
        db: Database,
        broker: Broker,
        *,
        group_id: str,
        handlers: Handlers,
        max_attempts: int = 5,
        backoff_seconds: float = 0.2,
        session_timeout_ms: int = 10_000,
        heartbeat_interval_ms: int = 3_000,
        fetch_max_wait_ms: int = 100,
        commit_interval_ms: int = 1_000,
        reread_on_assignment: bool = False,
    ) -> None:
        self.db = db
        self.broker = broker
        self.group_id = group_id
        self.handlers = {cls.event_type: (cls, _as_sequence(fns)) for cls, fns in handlers.items()}
        self.topics = sorted({cls.topic() for cls in handlers})
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.session_timeout_ms = session_timeout_ms
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self.commit_interval = commit_interval_ms / 1000
        self.reread_on_assignment = reread_on_assignment
        self.processed = 0
        self.parked = 0
        self._client: AIOKafkaConsumer | None = None
        self._positions: dict[tuple[str, int], int] = {}
        """The next offset to handle per partition, as last handled by this member."""
        self._uncommitted: dict[TopicPartition, int] = {}
        """Offsets handled (their events in the inbox) but not committed to the group yet."""

    def assignment(self) -> set[tuple[str, int]]:
        """The (topic, partition) pairs this member holds now (empty while the group rebalances)."""
        client = self._client
        return {(tp.topic, tp.partition) for tp in client.assignment()} if client is not None else set()

    def lag(self) -> dict[tuple[str, int], int]:
        """Events on the broker not handled yet, per partition this member holds (as of the broker's
        last fetch answer; a partition not fetched from yet is left out)."""
        client = self._client
        if client is None:
            return {}
        behind = {}
        for tp in client.assignment():
            high = client.highwater(tp)
            position = self._positions.get((tp.topic, tp.partition))
            if high is not None and position is not None:
                behind[(tp.topic, tp.partition)] = max(0, high - position)
        return behind

    async def handle(self, message: Message) -> bool:
        """Process one message in one transaction; False when it was a duplicate or not ours."""
        async with self.db.transaction() as session:
            applied = await self._apply(session, message)
        if applied:
            self.processed += 1
        return applied

    async def _apply(self, session: AsyncConnection, message: Message) -> bool:
        """Inbox row and handler effects of one message, in the caller's transaction."""
        taken = await self._taken(session, [message])
        for _, envelope, entry in taken:
            await self._react(session, message, envelope, *entry)
        return bool(taken)

    async def _react(
        self,
        session: AsyncConnection,
        message: Message,
        envelope: CloudEvent,
        event_cls: type[DomainEvent],
        reactions: tuple[Handler, ...],
    ) -> None:
        """The handlers of a message the inbox has just taken, in order, in the caller's transaction."""
        event = envelope.decode(event_cls)
        bind_request_id(envelope.correlationid)
        try:
            if not tracing.ACTIVE:
                for handler in reactions:
                    await handler(session, event, envelope)
                return
            with tracing.span(
                f"{message.topic} process",
                kind=SpanKind.CONSUMER,
                parent=envelope.traceparent,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.operation.type": "process",
                    "messaging.destination.name": message.topic,
                    "messaging.destination.partition.id": str(message.partition),
                    "messaging.kafka.offset": message.offset,
                    "messaging.consumer.group.name": self.group_id,
                    "messaging.message.id": envelope.id,
                    "cloudevents.event_type": envelope.type,
                },
            ):
                for handler in reactions:
                    await handler(session, event, envelope)
        finally:
            bind_request_id(None)

    async def process_batch(self, messages: list[Message]) -> None:
        """A fetched batch in one transaction, so a busy stream costs one commit per batch, and its event
        ids go into the inbox in one statement: what the inbox had already (a redelivery, or the same
        event twice in the batch) is left out, the rest are handled in the batch's order. Should a
        message fail, nothing of the batch takes effect and it is done again the careful way (see
        ``_process_one_by_one``); events seldom fail, so the common case costs no savepoints."""
        applied = 0
        try:
            async with self.db.transaction() as session:
                for message, envelope, entry in await self._taken(session, messages):
                    await self._react(session, message, envelope, *entry)
                    applied += 1
        except Exception as exc:
            if is_outage(exc):
                raise
            await self._process_one_by_one(messages)
            return
        self.processed += applied

    async def _taken(
        self, session: AsyncConnection, messages: list[Message]
    ) -> list[tuple[Message, CloudEvent, tuple[type[DomainEvent], tuple[Handler, ...]]]]:
        """The messages of the batch that are ours, each now in the inbox, in order: one statement for
        all of them; an event id the inbox knew, or met earlier in the batch, is not taken again."""
        ours = []
        for message in messages:
            envelope = CloudEvent.from_kafka(message.headers, message.value)
            entry = self.handlers.get(envelope.type)
            if entry is not None:
                ours.append((message, envelope, entry))
        if not ours:
            return []
        fresh = set(
            (
                await session.execute(
                    _INTO_INBOX,
                    {
                        "event_ids": [envelope.id for _, envelope, _ in ours],
                        "types": [envelope.type for _, envelope, _ in ours],
                        "topics": [message.topic for message, _, _ in ours],
                    },
                )
            ).scalars()
        )
        taken = []
        for message, envelope, entry in ours:
            if envelope.id in fresh:
                fresh.discard(envelope.id)  # a second copy in the same batch is a duplicate
                taken.append((message, envelope, entry))
        return taken

    async def _process_one_by_one(self, messages: list[Message]) -> None:
        """The batch in one transaction, a savepoint per message. At the first message that fails, what
        came before it commits, that message takes the one-by-one path (retries, then parking) and the
        rest follow as a new batch: the order of one partition is kept."""
        while messages:
            done = applied = 0
            failed = False
            try:
                async with self.db.transaction() as session:
                    for message in messages:
                        try:
                            async with session.begin_nested():
                                applied += int(await self._apply(session, message))
                        except Exception:  # its savepoint is rolled back; it goes the slow way
                            failed = True
                            break
                        done += 1
                self.processed += applied
            except Exception as exc:
                if is_outage(exc):
                    raise
                done, failed = 0, True  # the commit failed: nothing of the batch took effect
            if failed:
                await self.process(messages[done])
                done += 1
            messages = messages[done:]

    async def process(self, message: Message) -> None:
        attempts = 0
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.max_attempts),
                wait=wait_exponential(multiplier=self.backoff_seconds, max=5),
                retry=retry_if_exception(lambda exc: not isinstance(exc, PERMANENT) and not is_outage(exc)),
                reraise=True,
            ):
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    await self.handle(message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if is_outage(exc):
                raise
            await self.park(message, exc, attempts)

    async def park(self, message: Message, exc: Exception, attempts: int) -> None:
        headers = {k: v.decode("utf-8", "replace") for k, v in message.headers}
        error = f"{type(exc).__name__}: {exc}"[:4000]
        _log.error(
            "event parked",
            topic=message.topic,
            offset=message.offset,
            event_id=headers.get("ce_id"),
            error=error[:300],
        )
        async with self.db.transaction() as session:
            await session.execute(
                pg_insert(dead_letters)
                .values(
                    topic=message.topic,
                    partition=message.partition,
                    offset=message.offset,
                    event_id=headers.get("ce_id"),
                    event_type=headers.get("ce_type"),
                    key=message.key,
                    headers=headers,
                    payload=message.value.decode("utf-8", "replace"),
                    error=error,
                    attempts=attempts,
                )
                .on_conflict_do_nothing(constraint="dead_letters_position")
            )
        self.parked += 1
        producer = await self.broker.producer()
        await producer.send_and_wait(
            f"{message.topic}.dlq",
            message.value,
            key=message.key.encode() if message.key else None,
            headers=[*message.headers, ("dlq_error", error.encode()), ("dlq_group", self.group_id.encode())],
        )

    def dlq_topics(self) -> list[str]:
        return [f"{t}.dlq" for t in self.topics]

    async def run(self) -> None:
        if not self.topics:
            return
        while True:
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self.broker.bootstrap,
                group_id=self.group_id,
                client_id=f"{self.group_id}-consumer",
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                metadata_max_age_ms=5_000,
                session_timeout_ms=self.session_timeout_ms,
                heartbeat_interval_ms=self.heartbeat_interval_ms,
                fetch_max_wait_ms=self.fetch_max_wait_ms,
            )
            consumer.subscribe(self.topics, listener=_Assignments(self, consumer))
            self._uncommitted.clear()
            try:
                await self.broker.ensure_topics(self.topics + self.dlq_topics())
                await consumer.start()
                self._client = consumer
                _log.info("consumer started", group=self.group_id, topics=self.topics)
                committed_at = time.monotonic()
                while True:  # what a fetch brought from all partitions: one transaction
                    batches = await consumer.getmany(timeout_ms=500, max_records=200)
                    if batches:
                        await self.process_batch([Message.of(r) for records in batches.values() for r in records])
                        handled = {TopicPartition(t.topic, t.partition): rs[-1].offset + 1 for t, rs in batches.items()}
                        self._uncommitted.update(handled)
                        self._positions.update({(tp.topic, tp.partition): offset for tp, offset in handled.items()})
                    if self._uncommitted and (not batches or time.monotonic() - committed_at >= self.commit_interval):
                        await self.commit(consumer)
                        committed_at = time.monotonic()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _log.warning("consumer failed; reconnecting", error=repr(exc)[:300])
                await asyncio.sleep(1)
            finally:
                self._client = None
                if self._uncommitted:  # stopping: what was handled, so the next member need not redo it
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(self.commit(consumer), timeout=2)
                with contextlib.suppress(Exception):
                    await consumer.stop()

    async def commit(self, client: AIOKafkaConsumer) -> None:
        """Commit the offsets handled since the last commit (their events are in the inbox already)."""
        offsets, self._uncommitted = self._uncommitted, {}
        try:
            await client.commit(offsets)
        except BaseException:
            self._uncommitted = offsets | self._uncommitted
            raise


class _Assignments(ConsumerRebalanceListener):  # type: ignore[misc]
    """Before the group takes partitions away, what was handled of them is committed, so their next
    member starts where this one stopped. With ``reread_on_assignment``, each partition this member
    is given is read from its beginning and the inbox drops what was handled before: for the
    memory-only dev broker, which forgets its groups and topics when it restarts while the relays
    publish everything again, so offsets committed in between may point past events of the new
    topic (3 of 300 deliveries were once skipped so). Kafka keeps its offsets: off there."""

    def __init__(self, runner: Consumer, client: AIOKafkaConsumer) -> None:
        self.runner = runner
        self.client = client

    async def on_partitions_revoked(self, revoked: Any) -> None:
        if self.runner._uncommitted:
            try:
                await self.runner.commit(self.client)
            except Exception as exc:  # the group moved on already: their next member gets them again
                self.runner._uncommitted.clear()
                _log.info("offsets not committed before a rebalance", error=repr(exc)[:200])

    async def on_partitions_assigned(self, assigned: Any) -> None:
        if assigned and self.runner.reread_on_assignment:
            await self.client.seek_to_beginning(*assigned)


async def replay(consumer: Consumer, row: Any, data_override: dict[str, Any] | None = None) -> bool:
    """Run a parked event through the handler once more (optionally with corrected data)."""
    headers = [(k, str(v).encode()) for k, v in row.headers.items()]
    value = json.dumps(data_override).encode() if data_override is not None else row.payload.encode()
    message = Message(row.topic, row.partition, row.offset, row.key, headers, value)
    return await consumer.handle(message)


def _as_sequence(handlers: Handler | Sequence[Handler]) -> tuple[Handler, ...]:
    return tuple(handlers) if isinstance(handlers, Sequence) else (handlers,)
