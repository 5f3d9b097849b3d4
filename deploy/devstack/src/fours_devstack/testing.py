"""The whole platform in the test process: every service and the gateway served by uvicorn on free
ports, against the session's embedded PostgreSQL and broker (tansu, or Apache Kafka)."""

import asyncio
import contextlib
import importlib
import shutil
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI
from servicekit.auth import issue_token
from servicekit.kit import Kit

from fours_devstack import SERVICES
from fours_devstack.broker import free_port, local_kind
from fours_devstack.postgres import database_url

ADMIN_PASSWORD = "test-admin-password"
T = TypeVar("T")


@dataclass
class Stack:
    private_key: str
    apps: dict[str, FastAPI] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    servers: dict[str, uvicorn.Server] = field(default_factory=dict)
    tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    def kit(self, name: str) -> Kit:
        kit: Kit = self.apps[name].state.kit
        return kit

    def token(
        self,
        role: str = "general_manager",
        employee_no: str | None = None,
        team: str | None = None,
        username: str = "tester",
        ttl: timedelta = timedelta(minutes=15),
    ) -> str:
        return issue_token(
            self.private_key,
            subject=f"user-{username}",
            ttl=ttl,
            claims={"username": username, "role": role, "employee_no": employee_no, "team": team},
        )

    def client(self, name: str = "gateway", token: str | None = None, **kw: Any) -> httpx.AsyncClient:
        headers = {"authorization": f"Bearer {token or self.token()}"}
        return httpx.AsyncClient(base_url=self.urls[name], headers=headers, timeout=15, **kw)

    async def start(self, name: str, settings: Any) -> None:
        module = importlib.import_module(f"{name}.main")
        app = module.create_app(settings)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", timeout_keep_alive=65)
        )
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        task = asyncio.create_task(server.serve())
        deadline = time.monotonic() + 60
        while not server.started:
            if task.done():
                task.result()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not start")
            await asyncio.sleep(0.02)
        self.apps[name], self.servers[name], self.tasks[name] = app, server, task
        self.urls[name] = f"http://127.0.0.1:{port}"

    async def stop(self, name: str) -> None:
        self.servers[name].should_exit = True
        await self.tasks.pop(name)

    async def stop_all(self) -> None:
        for name in list(self.tasks):
            await self.stop(name)


def tool(name: str) -> str:
    """A program the tests need: on the PATH or beside this Python (a wheel's), else the test fails."""
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    assert Path(found).exists(), f"{name} is not installed"
    return found


def group_timing() -> dict[str, int]:
    """A test consumer's session timeout and heartbeat, short so a stopped member's partitions move on
    quickly: 2 s on tansu; on Apache Kafka its broker's smallest allowed session (6 s by default,
    ``group.min.session.timeout.ms``: the test broker is configured as production's)."""
    if local_kind() == "apache":
        return {"session_timeout_ms": 6_000, "heartbeat_interval_ms": 1_000}
    return {"session_timeout_ms": 2_000, "heartbeat_interval_ms": 500}


def settings_for(name: str, postgres_url: str, kafka: str, public_key: str, db_prefix: str = "t_", **extra: Any) -> Any:
    module = importlib.import_module(f"{name}.settings")
    defaults: dict[str, Any] = {
        "database_url": database_url(postgres_url, db_prefix + name),
        "kafka_bootstrap": kafka,
        "kafka_kind": local_kind(),
        "jwt_public_key": public_key,
        "relay_poll_seconds": 0.05,
        "consumer_backoff_seconds": 0.01,
        "consumer_max_attempts": 3,
        "consumer_session_timeout_ms": group_timing()["session_timeout_ms"],
        "consumer_heartbeat_ms": group_timing()["heartbeat_interval_ms"],
        "scheduler_poll_seconds": 0.1,
        "topic_partitions": 3,
        "log_level": "WARNING",
        "log_format": "console",
    }
    return module.Settings(**(defaults | extra))


async def start_stack(postgres_url: str, kafka: str, keys: tuple[str, str], db_prefix: str = "t_") -> Stack:
    private_key, public_key = keys
    stack = Stack(private_key=private_key)
    for name in SERVICES:
        await stack.start(name, settings_for(name, postgres_url, kafka, public_key, db_prefix))
    gateway_urls = {f"{name}_url": stack.urls[name] for name in SERVICES}
    await stack.start(
        "gateway",
        settings_for(
            "gateway",
            postgres_url,
            kafka,
            public_key,
            db_prefix,
            jwt_private_key=private_key,
            admin_password=ADMIN_PASSWORD,
            rate_per_minute_user=1_000_000,  # the tests poll hard; the limit itself has its own test
            replica_heartbeat_seconds=0.2,  # a test's extra gateway replica is counted (and forgotten) at once
            **gateway_urls,
        ),
    )
    return stack


@contextlib.asynccontextmanager
async def another_gateway(
    stack: Stack, postgres_url: str, kafka: str, keys: tuple[str, str], **extra: Any
) -> AsyncIterator[Stack]:
    """A second gateway replica beside ``stack``'s, on the same database and services, with ``extra``
    settings (a service URL where nothing listens, a short heartbeat); stopped on leaving."""
    urls = {f"{name}_url": url for name, url in stack.urls.items() if name != "gateway"}
    second = Stack(private_key=stack.private_key)
    await second.start(
        "gateway", settings_for("gateway", postgres_url, kafka, keys[1], jwt_private_key=keys[0], **(urls | extra))
    )
    try:
        yield second
    finally:
        await second.stop_all()


async def eventually(probe: Callable[[], Awaitable[T]], *, timeout: float = 15.0, interval: float = 0.05) -> T:
    """Poll ``probe`` until it returns a truthy value (events cross the broker asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last result: {result!r}")
        await asyncio.sleep(interval)
