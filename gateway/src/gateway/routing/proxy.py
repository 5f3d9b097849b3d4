"""Forwards ``/api/v1/<resource>`` to the owning service over one pooled httpx client.

The gateway authenticates first (a staff JWT, or an integration's ``X-API-Key``, for which it mints
a short-lived token carrying the key's scopes), applies the rate limit of the user or key, and the
service verifies the token again and applies its data scopes. Idempotent calls are retried once on a
connection failure; a service that keeps failing trips its circuit breaker and its routes answer 503
at once while the rest of the API works. The request id travels on, so every hop logs the same id.
"""

import asyncio
from datetime import timedelta
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from servicekit.auth import Principal, current_principal, issue_token
from servicekit.errors import NotFound, Problem
from servicekit.kit import Kit, KitDep
from servicekit.permissions import Allowed, Permission
from servicekit.requests import current_request_id

from gateway.api_keys import service as api_keys
from gateway.routing.breaker import Breaker
from gateway.routing.limits import RateLimiter
from gateway.routing.routes import owner_of
from gateway.settings import SERVICE_NAMES, Settings

router = APIRouter(include_in_schema=False)
FORWARD_REQUEST = ("content-type", "accept", "idempotency-key", "if-match", "if-none-match")
FORWARD_RESPONSE = ("content-type", "etag", "location", "retry-after", "www-authenticate")
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
GeneralManager = Allowed(Permission.ADMIN)
_bearer = HTTPBearer(auto_error=False)


class Unavailable(Problem):
    status, code = 503, "service-unavailable"


def settings_of(kit: Kit) -> Settings:
    settings = kit.settings
    assert isinstance(settings, Settings)
    return settings


def client(kit: Kit) -> httpx.AsyncClient:
    http: httpx.AsyncClient = kit.extras["http"]
    return http


async def open_client(kit: Kit) -> None:
    settings = settings_of(kit)
    kit.extras["http"] = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.upstream_timeout_seconds, connect=2.0),
        # idle connections are dropped well before the services' keep-alive timeout (65 s), so a
        # request never races the server closing the connection it reuses
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=30),
    )
    kit.extras["services"] = settings.service_urls()
    kit.extras["breakers"] = {
        name: Breaker(settings.breaker_threshold, settings.breaker_cooldown_seconds) for name in SERVICE_NAMES
    }
    kit.extras["limiter"] = RateLimiter()


async def close_client(kit: Kit) -> None:
    await client(kit).aclose()


async def caller(
    request: Request, kit: KitDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The staff member or integration calling, within its rate limit; sets what is forwarded."""
    settings = settings_of(kit)
    key = request.headers.get("x-api-key")
    if key:
        principal, per_minute = await api_keys.authenticate(kit, key)
        token = issue_token(
            settings.private_key_pem(),
            subject=principal.subject,
            claims={"username": principal.username, "role": principal.role, "scopes": sorted(principal.scopes)},
            ttl=timedelta(seconds=settings.integration_token_seconds),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )
        request.state.principal = principal
        request.state.forward_authorization = f"Bearer {token}"
        limit = per_minute or settings.rate_per_minute_key
    else:
        principal = current_principal(request, credentials)
        request.state.forward_authorization = request.headers["authorization"]
        limit = settings.rate_per_minute_user
    kit.extras["limiter"].check(principal.subject, limit)
    return principal


Caller = Annotated[Principal, Depends(caller)]


async def call(
    kit: Kit,
    service: str,
    method: str,
    path: str,
    request: Request,
    *,
    params: list[tuple[str, str]] | None = None,
    content: bytes = b"",
    timeout: float | None = None,
) -> httpx.Response:
    """One call to a service on behalf of the caller: breaker, retry of idempotent calls, errors."""
    breaker: Breaker = kit.extras["breakers"][service]
    if not breaker.allows():
        raise Unavailable(
            f"{service} is unavailable; retry shortly", headers={"Retry-After": str(breaker.retry_after())}
        )
    url = f"{kit.extras['services'][service]}{path}"
    headers = {k: v for k, v in request.headers.items() if k in FORWARD_REQUEST}
    headers["authorization"] = request.state.forward_authorization
    if rid := current_request_id():
        headers["x-request-id"] = rid
    attempts = 1 + (settings_of(kit).upstream_retries if method in IDEMPOTENT else 0)
    extra = {"timeout": timeout} if timeout is not None else {}
    for attempt in range(1, attempts + 1):
        try:
            upstream = await client(kit).request(method, url, params=params, headers=headers, content=content, **extra)
            break
        except httpx.TransportError as exc:
            if attempt < attempts and not isinstance(exc, httpx.ReadTimeout):
                await asyncio.sleep(0.05 * attempt)
                continue
            breaker.failed()
            if isinstance(exc, httpx.TimeoutException):
                raise Unavailable(f"{service} did not answer in time", status=504, code="upstream-timeout") from exc
            raise Unavailable(f"{service} is unavailable; retry shortly", headers={"Retry-After": "2"}) from exc
    breaker.succeeded()
    return upstream


async def forward(kit: Kit, service: str, path: str, request: Request) -> Response:
    upstream = await call(
        kit, service, request.method, path, request,
        params=request.query_params.multi_items(), content=await request.body(),
    )  # fmt: skip
    out = {k: v for k, v in upstream.headers.items() if k in FORWARD_RESPONSE}
    return Response(upstream.content, status_code=upstream.status_code, headers=out)


METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@router.api_route("/api/v1/admin/{service}/{path:path}", methods=METHODS)
async def admin_route(service: str, path: str, request: Request, kit: KitDep, _: GeneralManager) -> Response:
    if service not in SERVICE_NAMES:
        raise NotFound(f"no service {service!r}; services: {', '.join(SERVICE_NAMES)}")
    request.state.forward_authorization = request.headers["authorization"]
    return await forward(kit, service, f"/admin/{path}", request)


@router.api_route("/api/v1/{path:path}", methods=METHODS)
async def service_route(path: str, request: Request, kit: KitDep, _: Caller) -> Response:
    service = owner_of(path)
    if service is None:
        raise NotFound(f"no resource /api/v1/{path}")
    return await forward(kit, service, f"/api/v1/{path}", request)
