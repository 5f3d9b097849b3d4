"""Forwards ``/api/v1/<resource>`` to the owning service over one pooled httpx client.

The gateway checks the bearer token first (401 here, not in the service); the service verifies it
again and applies its data scopes. The request id travels on, so every hop logs the same id.
"""

import httpx
from fastapi import APIRouter, Request, Response
from servicekit.auth import CurrentPrincipal
from servicekit.errors import NotFound, Problem
from servicekit.kit import Kit, KitDep
from servicekit.permissions import Allowed, Permission
from servicekit.requests import current_request_id

from gateway.routing.routes import owner_of
from gateway.settings import SERVICE_NAMES, Settings

router = APIRouter(include_in_schema=False)
FORWARD_REQUEST = ("authorization", "content-type", "accept", "idempotency-key", "if-match", "if-none-match")
FORWARD_RESPONSE = ("content-type", "etag", "location", "retry-after", "www-authenticate")
GeneralManager = Allowed(Permission.ADMIN)


class Unavailable(Problem):
    status, code = 503, "service-unavailable"


def client(kit: Kit) -> httpx.AsyncClient:
    http: httpx.AsyncClient = kit.extras["http"]
    return http


async def open_client(kit: Kit) -> None:
    settings = kit.settings
    assert isinstance(settings, Settings)
    kit.extras["http"] = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.upstream_timeout_seconds, connect=2.0),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
    )
    kit.extras["services"] = settings.service_urls()


async def close_client(kit: Kit) -> None:
    await client(kit).aclose()


async def forward(kit: Kit, service: str, path: str, request: Request) -> Response:
    url = f"{kit.extras['services'][service]}{path}"
    headers = {k: v for k, v in request.headers.items() if k in FORWARD_REQUEST}
    if rid := current_request_id():
        headers["x-request-id"] = rid
    try:
        upstream = await client(kit).request(
            request.method,
            url,
            params=request.query_params.multi_items(),
            headers=headers,
            content=await request.body(),
        )
    except httpx.TimeoutException as exc:
        raise Unavailable(f"{service} did not answer in time", status=504, code="upstream-timeout") from exc
    except httpx.TransportError as exc:
        raise Unavailable(f"{service} is unavailable; retry shortly", headers={"Retry-After": "2"}) from exc
    out = {k: v for k, v in upstream.headers.items() if k in FORWARD_RESPONSE}
    return Response(upstream.content, status_code=upstream.status_code, headers=out)


METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@router.api_route("/api/v1/admin/{service}/{path:path}", methods=METHODS)
async def admin_route(service: str, path: str, request: Request, kit: KitDep, _: GeneralManager) -> Response:
    if service not in SERVICE_NAMES:
        raise NotFound(f"no service {service!r}; services: {', '.join(SERVICE_NAMES)}")
    return await forward(kit, service, f"/admin/{path}", request)


@router.api_route("/api/v1/{path:path}", methods=METHODS)
async def service_route(path: str, request: Request, kit: KitDep, _: CurrentPrincipal) -> Response:
    service = owner_of(path)
    if service is None:
        raise NotFound(f"no resource /api/v1/{path}")
    return await forward(kit, service, f"/api/v1/{path}", request)
