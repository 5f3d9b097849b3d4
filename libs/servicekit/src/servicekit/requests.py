"""The kit's layer around every request: X-Request-ID (taken from the caller or generated, bound to
every log line and put on events), the body limit, the metrics and the request's log line."""

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

import structlog
from opentelemetry.trace import SpanKind
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit import tracing
from servicekit.errors import Problem, internal_error, problem_of
from servicekit.health import Metrics
from servicekit.logs import enabled, request_id_var


class PayloadTooLarge(Problem):
    status, code = 413, "too-large"


REQUEST_ID_HEADER = "x-request-id"
_HEADER = REQUEST_ID_HEADER.encode()
_log = structlog.get_logger("http")


def scope_header(scope: Scope, name: bytes) -> str | None:
    """The first ``name`` header of an ASGI request (``name`` lower-case, as ASGI gives them), as text."""
    return next((value.decode("latin-1") for key, value in scope["headers"] if key == name), None)


def current_request_id() -> str | None:
    return request_id_var.get()


def bind_request_id(value: str | None) -> None:
    """The id the log lines and the events written from here on carry (``None``: none)."""
    request_id_var.set(value)


class RequestMiddleware:
    """The kit's one layer around every request, as pure ASGI (so streaming and background tasks keep
    the id in context), outermost, so every answer goes through it, FastAPI's 500 pages included:

    - the ``X-Request-ID``, taken from the caller or made up, on the answer and on every log line
      written while the request is handled, and gone from the context once it is answered;
    - the body limit: 413 problem+json at once when the Content-Length is over ``max_bytes``, else as
      soon as the bytes read pass it (a chunked upload cannot get around it);
    - the request's time in ``http_request_duration_seconds`` by method, route and status;
    - a log line (at INFO) with its status and time;
    - an exception that escapes the layers inside it before they answered (FastAPI answers the ones
      raised within it itself) is logged and answered 500 problem+json.

    One layer, not one per concern: each layer costs a call and a wrapper of ``send`` per request (the
    gateway's stack per proxied read, in process: about 2 µs less than with three).
    """

    def __init__(self, app: ASGIApp, *, metrics: Metrics, max_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_bytes = max_bytes
        self._series: dict[tuple[str, str, int], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = scope_header(scope, _HEADER)
        rid = incoming[:128] if incoming else secrets.token_hex(16)
        bound = request_id_var.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 0
        header = (_HEADER, rid.encode("latin-1"))
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise self._too_large()
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            length = scope_header(scope, b"content-length")  # the server refuses a request with two (400)
            if length is not None and length.isdigit() and int(length) > self.max_bytes:
                raise self._too_large()
            if tracing.ACTIVE:
                await self._traced(scope, counted, send_with_id, lambda: status)
            else:
                await self.app(scope, counted, send_with_id)
        except Exception as exc:
            if status:  # answered already (FastAPI's 500 page): the server logs it, as for any ASGI app
                raise
            response = problem_of(exc) if isinstance(exc, Problem) else internal_error("unhandled error")
            await response(scope, receive, send_with_id)
        finally:
            try:
                self._observe(scope, status or 500, started)
            finally:
                request_id_var.reset(bound)

    async def _traced(self, scope: Scope, receive: Receive, send: Send, status: Callable[[], int]) -> None:
        method = scope.get("method", "")
        with tracing.span(
            method,
            kind=SpanKind.SERVER,
            parent=scope_header(scope, b"traceparent"),
            attributes={
                "http.request.method": method,
                "url.path": scope.get("path", ""),
                "fours.service": self.metrics.service,
            },
        ) as span:
            try:
                await self.app(scope, receive, send)
            finally:
                if span is not None:
                    route = getattr(scope.get("route"), "path", None)
                    if route:
                        span.update_name(f"{method} {route}")
                        span.set_attribute("http.route", route)
                    span.set_attribute("http.response.status_code", status() or 500)
                    if (status() or 500) >= 500:
                        tracing.failed(span, f"answered {status() or 500}")

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"the request body is larger than {self.max_bytes} bytes")

    def _observe(self, scope: Scope, status: int, started: float) -> None:
        elapsed = time.perf_counter() - started
        key = (scope.get("method", ""), getattr(scope.get("route"), "path", "unmatched"), status)
        series = self._series.get(key)
        if series is None:  # the labelled series kept at hand: a request costs a lookup and an observation
            series = self._series[key] = self.metrics.requests.labels(key[0], key[1], str(status))
        series.observe(elapsed)
        path = scope.get("path", "")
        if enabled(logging.INFO) and path not in ("/healthz", "/readyz", "/metrics"):
            _log.info("request", method=scope.get("method"), path=path, status=status, ms=round(elapsed * 1000, 1))
