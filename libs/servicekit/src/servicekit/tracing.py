"""OpenTelemetry traces across the platform: the gateway's request, its call to the service, the
service's request, the events it writes to the outbox, each consumer's handling of them and the
due jobs those handlers plan — one trace.

The context crosses each hop as W3C Trace Context: the ``traceparent`` HTTP header from the gateway
to a service, and on an event the CloudEvents distributed-tracing extension (``traceparent``, a
``ce_traceparent`` Kafka header), stored with the outbox row so it survives the relay. A due job
keeps the ``traceparent`` of the handler that planned it; its run is a span of that trace.

Configured by the standard ``OTEL_*`` variables: with ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) set, each process installs the SDK with a batching OTLP
exporter (http/protobuf), named by ``OTEL_SERVICE_NAME`` (default: the service) and
``OTEL_RESOURCE_ATTRIBUTES``, sampled as ``OTEL_TRACES_SAMPLER`` says. Unset (or
``OTEL_SDK_DISABLED=true``, ``OTEL_TRACES_EXPORTER=none``), nothing is exported and every hook below
costs one check of ``ACTIVE``.
"""

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

ACTIVE = False
"""Whether spans are made at all (read on every hook; set by ``configure_from_env`` or ``use``)."""
_tracer: Tracer = trace.NoOpTracer()
_propagator = TraceContextTextMapPropagator()
_provider: Any = None


def configured_by_env(env: Mapping[str, str] = os.environ) -> bool:
    if env.get("OTEL_SDK_DISABLED", "").lower() == "true" or env.get("OTEL_TRACES_EXPORTER", "") == "none":
        return False
    return bool(env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def configure_from_env(service: str) -> bool:
    """Install the SDK and the OTLP exporter when the environment asks for them; once per process."""
    if ACTIVE or not configured_by_env():
        return ACTIVE
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME") or f"fours-{service}"})
    provider = TracerProvider(resource=resource)  # the sampler from OTEL_TRACES_SAMPLER
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    use(provider)
    return True


def use(provider: Any) -> None:
    """Make spans with ``provider`` from now on (``configure_from_env``; a test's in-memory exporter)."""
    global ACTIVE, _tracer, _provider
    _provider = provider
    _tracer = provider.get_tracer("fours.servicekit")
    ACTIVE = True


def stop() -> None:
    """Make no more spans; flush and shut down the provider ``configure_from_env`` installed."""
    global ACTIVE, _tracer, _provider
    ACTIVE, _tracer = False, trace.NoOpTracer()
    provider, _provider = _provider, None
    if provider is not None and hasattr(provider, "shutdown"):
        provider.shutdown()


def context_of(traceparent: str | None) -> Context | None:
    """The remote parent a ``traceparent`` names (None without one)."""
    if not traceparent:
        return None
    return _propagator.extract({"traceparent": traceparent})


def current_traceparent() -> str | None:
    """The ``traceparent`` of the span in progress, to carry onto a call, an event or a job."""
    if not ACTIVE:
        return None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


@contextlib.contextmanager
def span(
    name: str,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    parent: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Iterator[Span | None]:
    """A span (child of ``parent``'s traceparent when given, else of the current span) made current
    for the block; an exception marks it as an error. ``None`` when tracing is off."""
    if not ACTIVE:
        yield None
        return
    with _tracer.start_as_current_span(
        name, context=context_of(parent), kind=kind, attributes=attributes, record_exception=True
    ) as current:
        yield current


def failed(current: Span | None, description: str) -> None:
    if current is not None:
        current.set_status(Status(StatusCode.ERROR, description))
