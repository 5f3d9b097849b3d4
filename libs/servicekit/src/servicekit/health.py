"""/healthz (the process lives), /readyz (database and broker reachable) and /metrics (Prometheus)."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, Histogram, generate_latest
from sqlalchemy import text

from servicekit import calendar

Check = Callable[[], Awaitable[None]]


class Metrics:
    """One registry per app, so several apps can live in one process (tests)."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.requests = Histogram(
            "http_request_duration_seconds",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.up = Gauge("service_up", "1 while the service runs", ["service"], registry=self.registry)
        self.up.labels(service).set(1)
        self.calendar_unknown = Gauge(
            "calendar_years_unknown",
            "Years whose working days are needed and not known: this year, and from 1 November the next "
            "(alert above 0: enter the schedule with PUT /api/v1/calendar/{year})",
            registry=self.registry,
        )
        self.calendar_unknown.set_function(_unknown_years)
        self.before_scrape: Callable[[], Awaitable[object]] | None = None
        """Taken before each scrape (the kit's database readings, ``servicekit.observability``)."""
        self.detail: Callable[[], Awaitable[dict[str, object]]] | None = None
        """What ``/readyz`` shows beside its checks: the backlog, the consumer's lag."""


def health_router(checks: dict[str, Check], upstream: dict[str, Check] | None = None) -> APIRouter:
    """``upstream`` checks (the gateway's view of the services) are skipped with ``?self=true``, so an
    orchestrator can ask whether this process itself is ready to serve."""
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(request: Request, self_only: bool = Query(False, alias="self")) -> JSONResponse:
        results: dict[str, str] = {}
        selected = checks if self_only else {**checks, **(upstream or {})}
        for name, check in selected.items():
            try:
                await asyncio.wait_for(check(), timeout=3)
                results[name] = "ok"
            except Exception as exc:
                results[name] = f"unavailable: {type(exc).__name__}"
        ready = all(v == "ok" for v in results.values())
        body: dict[str, object] = {"status": "ready" if ready else "not ready", "checks": results}
        metrics: Metrics = request.app.state.metrics
        if metrics.detail is not None:  # what it says of its backlog never makes it unready
            with contextlib.suppress(Exception):
                body["detail"] = await asyncio.wait_for(metrics.detail(), timeout=2)
        return JSONResponse(body, status_code=200 if ready else 503)

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
        metrics: Metrics = request.app.state.metrics
        if metrics.before_scrape is not None:
            with contextlib.suppress(Exception):  # the database away: the readings of the last scrape
                await metrics.before_scrape()
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router


def database_check(engine_getter: Callable[[], object]) -> Check:
    async def check() -> None:
        engine = engine_getter()
        async with engine.connect() as conn:  # type: ignore[attr-defined]
            await conn.execute(text("SELECT 1"))

    return check


def _unknown_years() -> float:
    return float(len(calendar.current().flagged(calendar.today())))
