"""One trace from a handover posted to the gateway to payroll's handler (OpenTelemetry, in memory)."""

from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from factories import delivery
from fours_devstack.backup import _connect_kwargs
from fours_devstack.testing import Stack, eventually
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from servicekit import tracing
from test_first_flow import commissions, hired, known_to_leads, login


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use(provider)  # every service of the test stack runs in this process: one provider
    try:
        yield exporter
    finally:
        tracing.stop()


async def test_one_trace_runs_from_post_deliveries_through_the_outbox_and_kafka_to_payroll_s_handler(
    stack: Stack, postgres_url: str, spans: InMemorySpanExporter
) -> None:
    api = await login(stack)
    consultant = await hired(api)
    await known_to_leads(api, consultant["employee_no"])
    spans.clear()

    body = delivery(consultant["employee_no"], delivered_at="2026-11-20T10:00:00+08:00")
    posted = await api.post("/api/v1/deliveries", json=body)
    assert posted.status_code == 201, posted.text

    async def credited() -> Any:
        lines = (await commissions(api, consultant["employee_no"]))["items"]
        return any(line["vin"] == body["vin"] for line in lines)

    await eventually(credited)

    def spans_of(name: str, **attributes: Any) -> list[ReadableSpan]:
        return [
            span
            for span in spans.get_finished_spans()
            if span.name == name and all((span.attributes or {}).get(k) == v for k, v in attributes.items())
        ]

    [front] = spans_of("POST /api/v1/{path:path}", **{"fours.service": "gateway"})
    trace_id = front.context.trace_id
    assert front.kind == SpanKind.SERVER and front.parent is None
    assert (front.attributes or {})["http.response.status_code"] == 201

    def in_trace(name: str, **attributes: Any) -> ReadableSpan:
        [span] = [span for span in spans_of(name, **attributes) if span.context.trace_id == trace_id]
        return span

    call = in_trace("POST leads")
    leads = in_trace("POST /api/v1/deliveries", **{"fours.service": "leads"})
    produced = in_trace("leads.events publish")
    payroll = in_trace("leads.events process", **{"messaging.consumer.group.name": "payroll"})
    aftersales = in_trace("leads.events process", **{"messaging.consumer.group.name": "aftersales"})

    def parent_of(span: ReadableSpan) -> int | None:
        return span.parent.span_id if span.parent else None

    assert parent_of(call) == front.context.span_id and call.kind == SpanKind.CLIENT
    assert parent_of(leads) == call.context.span_id and leads.parent is not None and leads.parent.is_remote
    assert parent_of(produced) == leads.context.span_id and produced.kind == SpanKind.PRODUCER
    assert parent_of(payroll) == parent_of(aftersales) == produced.context.span_id
    assert payroll.kind == aftersales.kind == SpanKind.CONSUMER

    # the maintenance reminders aftersales planned for the new car will run in the same trace
    conn = await asyncpg.connect(**_connect_kwargs(postgres_url, "t_aftersales"))
    try:
        planned = await conn.fetch("SELECT traceparent FROM due_jobs WHERE key LIKE $1", f"{body['vin']}:%")
    finally:
        await conn.close()
    assert planned and {row["traceparent"].split("-")[1] for row in planned} == {f"{trace_id:032x}"}
    await api.aclose()
