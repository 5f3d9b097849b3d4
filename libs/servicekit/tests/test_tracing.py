"""Traces through the kit: a span's context rides on the event written to the outbox, the consumer's
handling is a child of it, and a due job planned by the handler runs as a span of the same trace."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fours_contracts import CloudEvent
from kit_events import Ping
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from servicekit import outbox, tracing
from servicekit.consumer import Consumer, Message
from servicekit.db import Database
from servicekit.scheduler import Scheduler, schedule
from servicekit.tables import outbox as outbox_table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use(provider)
    try:
        yield exporter
    finally:
        tracing.stop()


def test_tracing_is_off_and_free_unless_the_environment_configures_an_exporter() -> None:
    assert not tracing.ACTIVE and tracing.current_traceparent() is None
    assert not tracing.configured_by_env({})
    assert tracing.configured_by_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert tracing.configured_by_env({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"})
    endpoint = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    assert not tracing.configured_by_env(endpoint | {"OTEL_SDK_DISABLED": "true"})
    assert not tracing.configured_by_env(endpoint | {"OTEL_TRACES_EXPORTER": "none"})
    with tracing.span("nothing") as span:
        assert span is None


async def test_outbox_event_consumer_and_the_job_it_plans_are_one_trace(
    kit_db: Database, unique: str, spans: InMemorySpanExporter
) -> None:
    kind = f"kit.traced.{unique}"
    ran: list[str | None] = []

    async def plan(session: AsyncConnection, event: Ping, envelope: CloudEvent) -> None:
        await schedule(session, kind, event.ping_id, datetime.now(UTC) - timedelta(seconds=1))

    async def job(session: AsyncConnection, payload: dict[str, object]) -> None:
        ran.append(tracing.current_traceparent())

    with tracing.span("the change", kind=SpanKind.SERVER) as root:
        assert root is not None
        async with kit_db.transaction() as session:
            [envelope] = await outbox.publish_many(session, [Ping(ping_id=f"{unique}-1", n=1)])
    trace_id = root.get_span_context().trace_id
    assert envelope.traceparent and envelope.traceparent.split("-")[1] == f"{trace_id:032x}"
    async with kit_db.transaction() as session:  # what the relay will send carries it as a header
        [headers] = (
            await session.execute(select(outbox_table.c.headers).where(outbox_table.c.event_id == envelope.id))
        ).scalars()
    assert ["ce_traceparent", envelope.traceparent] in headers

    consumer = Consumer(kit_db, None, group_id=f"kittest-{unique}", handlers={Ping: plan})  # type: ignore[arg-type]
    delivered = CloudEvent.from_kafka([(k, v.encode()) for k, v in headers], envelope.kafka_value())
    message = Message(Ping.topic(), 0, 7, unique, delivered.kafka_headers(), delivered.kafka_value())
    assert await consumer.handle(message)
    assert await Scheduler(kit_db, {kind: job}).run_due() >= 1
    assert ran and ran[0] is not None

    finished: dict[str, ReadableSpan] = {span.name: span for span in spans.get_finished_spans()}
    produced, handled, planned = (
        finished["kittest.events publish"],
        finished["kittest.events process"],
        finished[f"job {kind}"],
    )
    assert {s.context.trace_id for s in (produced, handled, planned)} == {trace_id}
    assert produced.parent is not None and produced.parent.span_id == root.get_span_context().span_id
    assert handled.parent is not None and handled.parent.span_id == produced.context.span_id
    assert planned.parent is not None and planned.parent.span_id == handled.context.span_id
    assert handled.kind == SpanKind.CONSUMER and handled.attributes is not None
    assert handled.attributes["messaging.consumer.group.name"] == f"kittest-{unique}"
    assert handled.attributes["messaging.message.id"] == envelope.id
