"""Forwards ``/api/v1/<resource>`` to the owning service over a pool of keep-alive connections per service.

The gateway authenticates first (a staff JWT, or an integration's ``X-API-Key``, for which it mints
a short-lived token carrying the key's scopes), applies the rate limit of the user or key, and the
service verifies the token again and applies its data scopes. Idempotent calls are retried once on a
connection failure; a service that keeps failing trips its circuit breaker and its routes answer 503
at once while the rest of the API works. The request id travels on, so every hop logs the same id.

The pools are ``gateway.routing.upstream``'s (why not httpx or aiohttp: see there).
"""

import asyncio
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from opentelemetry.trace import SpanKind
from prometheus_client import Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from servicekit import tracing
from servicekit.auth import Principal, bearer_principal, issue_token
from servicekit.errors import NotFound, Problem, problem_of
from servicekit.kit import Kit, KitDep
from servicekit.methods import allowed_methods
from servicekit.permissions import Allowed, Permission
from servicekit.requests import current_request_id, scope_header
from starlette.requests import ClientDisconnect
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.api_keys import service as api_keys
from gateway.routing.breaker import Breaker
from gateway.routing.limits import RateLimiter
from gateway.routing.routes import owner_of
from gateway.routing.upstream import Answer, Pool, UpstreamError
from gateway.settings import SERVICE_NAMES, Settings

router = APIRouter(include_in_schema=False)
FORWARD_REQUEST = frozenset({b"content-type", b"accept", b"idempotency-key", b"if-match", b"if-none-match"})
FORWARD_RESPONSE = frozenset(
    {b"allow", b"content-disposition", b"content-type", b"etag", b"location", b"retry-after", b"www-authenticate"}
)
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
"""What is passed on to a service, which answers a method its path does not take with 405 and ``Allow``."""
PREFIX = "/api/v1/"
QUERY_SAFE = "/?:@!$&'()*+,;=%~"
"""What a query string keeps as it is when passed on (RFC 3986 query characters and its escapes)."""
PATH_SAFE = "/:@!$&'()*+,;=~"
"""What a decoded path keeps as it is when encoded again (RFC 3986 path characters)."""
GeneralManager = Allowed(Permission.ADMIN)
_bearer = HTTPBearer(auto_error=False)


class Unavailable(Problem):
    status, code = 503, "service-unavailable"


def settings_of(kit: Kit) -> Settings:
    settings = kit.settings
    assert isinstance(settings, Settings)
    return settings


def pool_of(kit: Kit, service: str) -> Pool:
    pool: Pool = kit.extras["http"][service]
    return pool


async def open_client(kit: Kit) -> None:
    """One pool per service; idle connections are dropped (30 s) well before the services'
    keep-alive timeout (65 s), so a request never races the server closing the connection it reuses."""
    settings = settings_of(kit)
    kit.extras["http"] = {
        name: Pool(url, size=100, keepalive_seconds=30.0, connect_timeout=2.0)
        for name, url in settings.service_urls().items()
    }
    kit.extras["breakers"] = {
        name: Breaker(settings.breaker_threshold, settings.breaker_cooldown_seconds) for name in SERVICE_NAMES
    }
    kit.extras["limiter"] = RateLimiter()
    if "upstream_latency" not in kit.extras:  # once per app: the registry refuses a metric twice
        kit.extras["upstream_latency"] = UpstreamLatency(kit)
        kit.metrics.registry.register(BreakerCollector(kit))


class UpstreamLatency:
    """``gateway_upstream_duration_seconds{upstream,method,status}``: each proxied call's time in the
    service it went to (``status`` is the answer's, or ``timeout`` / ``unreachable``), so a slow service
    shows as itself and not as one route shared by every proxied call."""

    def __init__(self, kit: Kit) -> None:
        self.histogram = Histogram(
            "gateway_upstream_duration_seconds",
            "Calls from the gateway to each service, by upstream, method and answer",
            ["upstream", "method", "status"],
            registry=kit.metrics.registry,
        )
        self._series: dict[tuple[str, str, str], Any] = {}

    def observe(self, upstream: str, method: str, status: str, seconds: float) -> None:
        key = (upstream, method, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = self.histogram.labels(*key)
        series.observe(seconds)


class BreakerCollector(Collector):
    """``gateway_circuit_breaker_open{upstream}``: 1 while the gateway answers that service's routes 503."""

    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            "gateway_circuit_breaker_open", "1 while the breaker of an upstream is open", labels=["upstream"]
        )
        for name, breaker in sorted(self.kit.extras.get("breakers", {}).items()):
            family.add_metric([name], 0 if breaker.opened_at is None else 1)
        yield family


async def close_client(kit: Kit) -> None:
    for pool in kit.extras["http"].values():
        await pool.close()


async def fetch(kit: Kit, service: str, path: str, *, timeout: float) -> Answer:
    """A plain GET of the gateway's own (readiness, OpenAPI), without a caller."""
    return await pool_of(kit, service).request("GET", path, timeout=timeout)


async def caller(
    request: Request, kit: KitDep, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The staff member or integration calling, within its rate limit; sets what is forwarded.
    (The ``HTTPBearer`` dependency puts the scheme in the OpenAPI document.)"""
    principal, request.state.forward_authorization = await authenticate(
        kit, request.headers.get("authorization"), request.headers.get("x-api-key")
    )
    request.state.principal = principal
    return principal


async def authenticate(kit: Kit, authorization: str | None, api_key: str | None) -> tuple[Principal, str]:
    """The caller (a staff member's JWT, or an integration's key) within its rate limit, and the
    ``Authorization`` the services get on its behalf."""
    settings = settings_of(kit)
    if api_key:
        principal, per_minute = await api_keys.authenticate(kit, api_key)
        forwarded = f"Bearer {_minted(kit, settings, principal)}"
        limit = per_minute or settings.rate_per_minute_key
    else:
        principal = bearer_principal(kit.verifier, authorization)
        forwarded = authorization or ""
        limit = settings.rate_per_minute_user
    kit.extras["limiter"].check(principal.subject, limit)
    return principal, forwarded


Caller = Annotated[Principal, Depends(caller)]


def _minted(kit: Kit, settings: Settings, principal: Principal) -> str:
    """The short-lived token the services see for an API key: minted once and reused until a fifth
    of its life is left (so a partner's burst of calls costs one signature)."""
    cache: dict[tuple[str, frozenset[str]], tuple[str, float]] = kit.extras.setdefault("minted", {})
    ttl = settings.integration_token_seconds
    key = (principal.subject, principal.scopes)
    hit = cache.get(key)
    if hit is not None and hit[1] - time.time() > ttl / 5:
        return hit[0]
    token = issue_token(
        settings.private_key_pem(),
        subject=principal.subject,
        claims={"username": principal.username, "role": principal.role, "scopes": sorted(principal.scopes)},
        ttl=timedelta(seconds=ttl),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    cache[key] = (token, time.time() + ttl)
    return token


async def call(
    kit: Kit,
    service: str,
    method: str,
    path: str,
    headers: list[tuple[str, str]],
    *,
    params: list[tuple[str, str]] | None = None,
    query: str = "",
    content: bytes = b"",
    timeout: float | None = None,
) -> Answer:
    """One call to a service on behalf of the caller: breaker, retry of idempotent calls, errors.
    ``path`` is encoded as it goes on the wire; ``params`` are encoded here; ``query`` is a query
    string already encoded (passed on as it came); ``headers`` are ``outgoing_headers``."""
    breaker: Breaker = kit.extras["breakers"][service]
    if not breaker.allows():
        raise Unavailable(
            f"{service} is unavailable; retry shortly", headers={"Retry-After": str(breaker.retry_after())}
        )
    if params:
        query = urlencode(params)
    target = f"{path}?{query}" if query else path
    if not tracing.ACTIVE:
        return await _send(kit, breaker, service, method, target, headers, content, timeout)
    with tracing.span(
        f"{method} {service}",
        kind=SpanKind.CLIENT,
        attributes={"http.request.method": method, "server.address": service, "url.path": path},
    ) as span:
        traced = [*headers, ("traceparent", tracing.current_traceparent() or "")]
        upstream = await _send(kit, breaker, service, method, target, traced, content, timeout)
        if span is not None:
            span.set_attribute("http.response.status_code", upstream.status_code)
        return upstream


async def _send(
    kit: Kit,
    breaker: Breaker,
    service: str,
    method: str,
    target: str,
    headers: list[tuple[str, str]],
    content: bytes,
    timeout: float | None,
) -> Answer:
    settings = settings_of(kit)
    attempts = 1 + (settings.upstream_retries if method in IDEMPOTENT else 0)
    pool = pool_of(kit, service)
    latency: UpstreamLatency = kit.extras["upstream_latency"]
    started = time.perf_counter()
    for attempt in range(1, attempts + 1):
        try:
            upstream = await pool.request(
                method, target, headers, content, timeout=timeout or settings.upstream_timeout_seconds
            )
            break
        except TimeoutError as exc:
            breaker.failed()
            latency.observe(service, method, "timeout", time.perf_counter() - started)
            raise Unavailable(f"{service} did not answer in time", status=504, code="upstream-timeout") from exc
        except UpstreamError as exc:
            if attempt < attempts:
                await asyncio.sleep(0.05 * attempt)
                continue
            breaker.failed()
            latency.observe(service, method, "unreachable", time.perf_counter() - started)
            raise Unavailable(f"{service} is unavailable; retry shortly", headers={"Retry-After": "2"}) from exc
    breaker.succeeded()
    latency.observe(service, method, str(upstream.status_code), time.perf_counter() - started)
    return upstream


def outgoing_headers(raw: list[tuple[bytes, bytes]], authorization: str) -> list[tuple[str, str]]:
    """What a service gets of a call: the caller's headers in ``FORWARD_REQUEST`` (from the ASGI
    scope's), the ``Authorization`` on the caller's behalf and the request id."""
    headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw if name in FORWARD_REQUEST]
    headers.append(("authorization", authorization))
    if rid := current_request_id():
        headers.append(("x-request-id", rid))
    return headers


def forwarded_headers(upstream: Answer) -> list[tuple[bytes, bytes]]:
    """The answer's headers the caller gets: its length and those in ``FORWARD_RESPONSE``."""
    headers = [(b"content-length", str(len(upstream.content)).encode())]
    headers += [(name, value) for name, value in upstream.headers if name in FORWARD_RESPONSE]
    return headers


async def forward(kit: Kit, service: str, path: str, request: Request) -> Response:
    headers = outgoing_headers(request.scope["headers"], request.headers["authorization"])
    head = request.method == "HEAD"
    upstream = await call(
        kit,
        service,
        "GET" if head else request.method,
        path,
        headers,
        query=quote(request.scope["query_string"], safe=QUERY_SAFE),
        content=await request.body(),
    )
    response = Response(b"" if head else upstream.content, status_code=upstream.status_code)
    response.raw_headers = forwarded_headers(upstream)
    return response


@router.api_route("/api/v1/admin/{service}/{path:path}", methods=METHODS)
async def admin_route(service: str, path: str, request: Request, kit: KitDep, _: GeneralManager) -> Response:
    if service not in SERVICE_NAMES:
        raise NotFound(f"no service {service!r}; services: {', '.join(SERVICE_NAMES)}")
    return await forward(kit, service, "/admin/" + quote(path, safe=PATH_SAFE), request)


class MethodNotAllowed(Problem):
    status, code = 405, "method-not-allowed"


@router.api_route("/api/v1/{path:path}", methods=METHODS, include_in_schema=False)
async def unknown_resource(path: str, request: Request) -> Response:
    """What no service owns and the gateway answers with no route of its own for this method (the
    proxied calls never get here): 405 naming the methods when one of its own paths matches, else 404."""
    allowed = allowed_methods(request.app, request.url.path)
    if allowed:
        raise MethodNotAllowed(f"{request.method} is not taken here", headers={"Allow": ", ".join(allowed)})
    raise NotFound(f"no resource /api/v1/{path}")


class ProxyMiddleware:
    """The hot path, as plain ASGI: a call to a resource a service owns is authenticated, limited and
    forwarded here, without FastAPI's routing, dependency solving and response classes (measured: a
    fifth of the gateway's CPU per proxied call, when this was a catch-all route).

    It sits in front of FastAPI, inside the kit's request layer (request id, body limit, metrics; it
    answers what escapes from here) and the audit, so those apply as to every route; the gateway's own
    routes under a service's resource (the customer 360) still go to FastAPI.
    """

    path = "/api/v1/{path:path}"
    """The route every proxied call is counted under (the metrics read ``scope["route"].path``)."""

    def __init__(self, app: ASGIApp, kit: Kit) -> None:
        self.app = app
        self.kit = kit
        self._own: list[re.Pattern[str]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(PREFIX) or scope["method"] not in METHODS:
            await self.app(scope, receive, send)
            return
        service = owner_of(path[len(PREFIX) :])
        if service is None or self._gateway_owns(scope):
            await self.app(scope, receive, send)
            return
        scope["route"] = self
        try:
            principal, authorization = await authenticate(
                self.kit, scope_header(scope, b"authorization"), scope_header(scope, b"x-api-key")
            )
            scope.setdefault("state", {})["principal"] = principal
            upstream = await call(
                self.kit,
                service,
                "GET" if scope["method"] == "HEAD" else scope["method"],  # HEAD: the GET's answer, no body
                scope.get("raw_path", b"").decode("latin-1") or path,
                outgoing_headers(scope["headers"], authorization),
                query=quote(scope["query_string"], safe=QUERY_SAFE),
                content=await _body(receive),
            )
        except Problem as exc:
            await problem_of(exc)(scope, receive, send)
            return
        except ClientDisconnect:
            return
        await send(
            {"type": "http.response.start", "status": upstream.status_code, "headers": forwarded_headers(upstream)}
        )
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else upstream.content})

    def _gateway_owns(self, scope: Scope) -> bool:
        """Whether one of the gateway's own routes answers this path: learnt once from the gateway's
        own OpenAPI paths (every route it documents) that lie under a service's resource."""
        if self._own is None:
            paths = scope["app"].openapi()["paths"]
            self._own = [
                compile_path(path)[0] for path in paths if path.startswith(PREFIX) and owner_of(path[len(PREFIX) :])
            ]
        path = scope["path"]
        return any(pattern.match(path) for pattern in self._own)


async def _body(receive: Receive) -> bytes:
    """The whole request body (the kit's body limit counts it as it comes)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
