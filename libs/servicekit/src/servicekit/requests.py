"""X-Request-ID: taken from the caller or generated, bound to every log line and put on events."""

import logging
import secrets
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.errors import Problem, problem_response
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


class RequestIdMiddleware:
    """Pure ASGI middleware, so streaming and background tasks keep the id in context. Each request
    is logged (at INFO) with its status and time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = scope_header(scope, _HEADER)
        rid = incoming[:128] if incoming else secrets.token_hex(16)
        bound = request_id_var.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500
        header = (_HEADER, rid.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = scope.get("path", "")
            try:
                if enabled(logging.INFO) and path not in ("/healthz", "/readyz", "/metrics"):
                    _log.info(
                        "request",
                        method=scope.get("method"),
                        path=path,
                        status=status,
                        ms=round((time.perf_counter() - started) * 1000, 1),
                    )
            finally:
                request_id_var.reset(bound)


class BodyLimitMiddleware:
    """413 problem+json for a request body over ``max_bytes``: at once when its Content-Length says
    so, else as soon as the bytes read pass it (a chunked upload cannot get around the limit)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = scope_header(scope, b"content-length")  # the server refuses a request with two (400)
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise PayloadTooLarge(f"the request body is larger than {self.max_bytes} bytes")
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send) -> None:
        response = problem_response(413, f"the request body is larger than {self.max_bytes} bytes", code="too-large")
        await send({"type": "http.response.start", "status": 413, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})
