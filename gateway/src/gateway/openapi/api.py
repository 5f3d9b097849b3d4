import asyncio
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from servicekit.kit import Kit, KitDep

from gateway.openapi import rules
from gateway.routing.service import fetch, owner_of

router = APIRouter(include_in_schema=False)
CACHE_SECONDS = 60.0


async def _service_spec(kit: Kit, name: str) -> dict[str, Any] | None:
    try:
        response = await fetch(kit, name, "/openapi.json", timeout=3.0)
    except Exception:  # a service that is down leaves its part out
        return None
    return response.json() if response.status_code == 200 else None


async def merged_spec(kit: Kit, own: dict[str, Any]) -> dict[str, Any]:
    cached = kit.extras.get("openapi")
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]  # type: ignore[no-any-return]
    services = list(kit.extras["http"])
    specs = await asyncio.gather(*(_service_spec(kit, name) for name in services))
    found = {name: spec for name, spec in zip(services, specs, strict=True) if spec is not None}
    merged = rules.merge(own, found, owner_of)
    missing = sorted(set(services) - set(found))
    if missing:
        merged["x-partial"] = missing
    else:
        kit.extras["openapi"] = (time.monotonic(), merged)
    return merged


@router.get("/api/v1/openapi.json")
async def openapi(request: Request, kit: KitDep) -> JSONResponse:
    return JSONResponse(await merged_spec(kit, request.app.openapi()))


@router.get("/docs")
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/api/v1/openapi.json", title="FourS API")
