"""Transactional outbox: an event is a row written in the same transaction as the change."""

import uuid
from collections.abc import Sequence

from fours_contracts import CloudEvent, DomainEvent
from opentelemetry.trace import SpanKind
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from servicekit import tracing
from servicekit.db import OUTBOX_WRITTEN
from servicekit.requests import current_request_id
from servicekit.tables import outbox


async def publish(session: AsyncConnection, event: DomainEvent, *, source: str | None = None) -> CloudEvent:
    """Stage ``event`` for publishing; it leaves only if the surrounding transaction commits."""
    [envelope] = await publish_many(session, [event], source=source)
    return envelope


async def publish_many(
    session: AsyncConnection, events: Sequence[DomainEvent], *, source: str | None = None
) -> list[CloudEvent]:
    """Stage several events in one statement (a batch intake's thousand *policy recorded*)."""
    if not events:
        return []
    if tracing.ACTIVE:
        with tracing.span(
            f"{events[0].topic()} publish",
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation.type": "create",
                "messaging.destination.name": events[0].topic(),
                "messaging.batch.message_count": len(events),
            },
        ):
            return await _stage(session, events, source, tracing.current_traceparent())
    return await _stage(session, events, source, None)


async def _stage(
    session: AsyncConnection, events: Sequence[DomainEvent], source: str | None, traceparent: str | None
) -> list[CloudEvent]:
    envelopes = [
        CloudEvent.wrap(
            event,
            source=source or f"/fours/{event.producer}",
            correlationid=current_request_id(),
            traceparent=traceparent,
        )
        for event in events
    ]
    rows = [
        {
            "event_id": str(uuid.UUID(envelope.id)),
            "topic": event.topic(),
            "key": envelope.subject or "",
            "type": envelope.type,
            "headers": [[k, v.decode()] for k, v in envelope.kafka_headers()],
            "payload": envelope.kafka_value().decode(),
        }
        for event, envelope in zip(events, envelopes, strict=True)
    ]
    await session.execute(insert(outbox), rows)
    session.info[OUTBOX_WRITTEN] = True
    return envelopes
