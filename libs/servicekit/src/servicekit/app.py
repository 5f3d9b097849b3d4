"""create_service_app: every FourS service is this function plus its own routers, handlers and jobs.

Start-up order: logging, migrations (before serving), then the relay, consumer and scheduler loops,
each of which keeps retrying while the database or broker is away, so a service starts and serves
health checks even when a dependency is late.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fours_contracts import CalendarUpdated
from sqlalchemy import MetaData
from starlette.types import ASGIApp

from servicekit import admin, openapi, store_calendar, tracing
from servicekit.auth import TokenVerifier
from servicekit.broker import Broker
from servicekit.consumer import Consumer, Handlers
from servicekit.db import Database
from servicekit.errors import install_problem_handlers
from servicekit.health import Check, Metrics, database_check, health_router
from servicekit.kit import Kit
from servicekit.logs import configure_logging, get_logger
from servicekit.migrations import upgrade
from servicekit.observability import Backlog, KitCollector
from servicekit.relay import Relay
from servicekit.requests import RequestMiddleware
from servicekit.retention import Pruner
from servicekit.scheduler import JobHandler, Scheduler
from servicekit.settings import ServiceSettings


@dataclass
class ServiceSpec:
    name: str
    metadata: MetaData
    migrations: Path
    routers: Sequence[APIRouter] = ()
    handlers: Handlers = field(default_factory=dict)
    """Each consumed event type with the handler, or the handlers in order, of the features that react."""
    jobs: Mapping[str, JobHandler] = field(default_factory=dict)
    publishes: bool = True
    on_startup: Sequence[Callable[[Kit], Awaitable[None]]] = ()
    on_shutdown: Sequence[Callable[[Kit], Awaitable[None]]] = ()
    readiness: Callable[[Kit], Mapping[str, Check]] | None = None
    """Extra /readyz checks beyond the database and broker."""
    description: str = ""
    middleware: Sequence[Callable[..., ASGIApp]] = ()
    """The service's own ASGI middlewares, built as ``middleware(app, kit=kit)``, the first outermost:
    inside the kit's request layer (request id, body limit, metrics) and outside FastAPI's own (its 500
    page, exception handlers and routing), so what escapes them is answered by the request layer."""
    docs_url: str | None = "/docs"


def build_kit(spec: ServiceSpec, settings: ServiceSettings) -> Kit:
    db = Database(settings.database_url, pool_size=settings.db_pool_size)
    broker = Broker(
        settings.kafka_bootstrap,
        client_id=spec.name,
        partitions=settings.topic_partitions,
        replication=settings.topic_replication,
        retention_ms=settings.topic_retention_ms,
        idempotence=settings.producer_idempotence,
    )
    relay = (
        Relay(
            db,
            broker,
            f"{spec.name}.events",
            batch=settings.relay_batch,
            poll_seconds=settings.relay_poll_seconds,
            republish_on_missing_topic=settings.relay_republish_on_missing_topic,
        )
        if spec.publishes
        else None
    )
    consumer = (
        Consumer(
            db,
            broker,
            group_id=spec.name,
            handlers=spec.handlers,
            max_attempts=settings.consumer_max_attempts,
            backoff_seconds=settings.consumer_backoff_seconds,
            session_timeout_ms=settings.consumer_session_timeout_ms,
            heartbeat_interval_ms=settings.consumer_heartbeat_ms,
            fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
            commit_interval_ms=settings.consumer_commit_interval_ms,
            reread_on_assignment=settings.consumer_reread_on_assignment,
        )
        if spec.handlers
        else None
    )
    scheduler = Scheduler(db, dict(spec.jobs), poll_seconds=settings.scheduler_poll_seconds) if spec.jobs else None
    pruner = Pruner(
        db,
        settings.retention(),
        batch=settings.retention_batch,
        pause_seconds=settings.retention_pause_seconds,
        every_seconds=settings.retention_every_seconds,
    )
    verifier = TokenVerifier(settings.public_key_pem(), issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    metrics = Metrics(spec.name)
    kit = Kit(settings, db, broker, verifier, metrics, relay, consumer, scheduler, pruner)
    backlog = Backlog()
    metrics.registry.register(KitCollector(kit, backlog))
    metrics.before_scrape = lambda: backlog.refresh(kit)

    async def detail() -> dict[str, object]:
        readings: dict[str, object] = dict(await backlog.refresh(kit))
        if consumer is not None:
            readings["consumer_lag"] = float(sum(consumer.lag().values()))
        return readings

    metrics.detail = detail
    return kit


def create_service_app(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    settings.service_name = spec.name
    kit = build_kit(spec, settings)
    log = get_logger(spec.name)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.log_format)
        tracing.configure_from_env(spec.name)
        if settings.run_migrations:
            await asyncio.to_thread(upgrade, settings.database_url, spec.migrations, spec.metadata)
        for hook in spec.on_startup:
            await hook(kit)
        loops = []
        if kit.relay and settings.relay_enabled:
            loops.append(kit.relay.run())
        if kit.consumer and settings.consumer_enabled:
            loops.append(kit.consumer.run())
        if kit.scheduler and settings.scheduler_enabled:
            loops.append(kit.scheduler.run())
        if settings.retention_enabled:
            loops.append(kit.pruner.run())
        if CalendarUpdated in spec.handlers:
            loops.append(store_calendar.keep_current(kit.db))
        tasks = [asyncio.create_task(loop) for loop in loops]
        log.info("service started", service=spec.name, loops=len(tasks))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for hook in spec.on_shutdown:
                await hook(kit)
            await kit.broker.close()
            await kit.db.dispose()
            log.info("service stopped", service=spec.name)

    app = ServiceApp(
        title=f"FourS {spec.name}",
        description=spec.description,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=spec.docs_url,
        redoc_url=None,
        telemetry={"tracing": False, "metrics": False, "logs": False},  # the kit traces (servicekit.tracing)
        generate_unique_id_function=openapi.operation_id,
        separate_input_output_schemas=False,  # one schema a model: what clients generate one class from
    )
    app.state.kit = kit
    app.state.verifier = kit.verifier
    app.state.metrics = kit.metrics
    install_problem_handlers(app)
    checks = {"database": database_check(lambda: kit.db.engine)}
    if spec.publishes or spec.handlers:
        checks["broker"] = kit.broker.ping
    app.include_router(health_router(checks, dict(spec.readiness(kit)) if spec.readiness else None))
    app.include_router(admin.router)
    for router in spec.routers:
        app.include_router(router)

    def front(inner: ASGIApp) -> ASGIApp:
        for middleware in reversed(spec.middleware):
            inner = middleware(inner, kit=kit)
        return RequestMiddleware(inner, metrics=kit.metrics, max_bytes=settings.max_body_bytes)

    app.front = front
    return app


class ServiceApp(FastAPI):
    """FastAPI with layers in front of the stack it builds (its 500 page, exception handlers and
    routing): the kit's request layer and the service's own middlewares (``ServiceSpec.middleware``).
    In front, the request id and metrics cover every answer, FastAPI's 500s included, and a service's
    hot path (the gateway's proxy) does not pay for FastAPI's layers it does not use."""

    front: Callable[[ASGIApp], ASGIApp] | None = None

    def openapi(self) -> dict[str, Any]:
        """FastAPI's document with every operation's errors declared as problem+json (``servicekit.openapi``)."""
        if self.openapi_schema is None:
            self.openapi_schema = openapi.declare_problems(super().openapi())
        return self.openapi_schema

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return self.front(stack) if self.front else stack
