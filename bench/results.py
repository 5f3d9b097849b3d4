"""bench/RESULTS.md: one section per benchmark, replaced when that benchmark runs again."""

import asyncio
import os
import platform
import re
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
RESULTS = Path(__file__).parent / "RESULTS.md"
HEADER = "# Benchmark results\n\nWritten by `make bench`; each section is replaced when its benchmark runs again.\n"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, "
        f"commit {commit or 'unknown'}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def generated(seconds: float, rows: dict[str, int]) -> str:
    """The sentence saying how big the generated data was and how long it took."""
    return f"Generated in {seconds:.0f} s: " + ", ".join(f"{n:,} {t}" for t, n in rows.items()) + "."


def beside_sql(results: dict[str, tuple[list[float], list[float]]]) -> list[str]:
    """A table of each call's p50 and p95 through the API beside the same SQL run directly (ms)."""
    lines = ["| call | p50 | p95 | SQL p50 | SQL p95 |", "|---|---|---|---|---|"]
    for label, (api_ms, sql_ms) in results.items():
        lines.append(
            f"| {label} | {percentile(api_ms, 50):.1f} | {percentile(api_ms, 95):.1f} | "
            f"{percentile(sql_ms, 50):.1f} | {percentile(sql_ms, 95):.1f} |"
        )
    return lines


def write_section(title: str, body: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    RESULTS.write_text(text.rstrip() + "\n")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def on_fresh_database(spec: Any, run: Callable[[str], Coroutine[Any, Any, T]]) -> T:
    """Run ``run(database_url)`` against a throwaway embedded PostgreSQL with the service's schema."""
    from fours_devstack.postgres import EmbeddedPostgres, create_databases, database_url
    from servicekit.migrations import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedPostgres(Path(tmp) / "pg", delete_on_stop=True)
        url = server.start()
        try:
            asyncio.run(create_databases(url, [spec.name]))
            db_url = database_url(url, spec.name)
            upgrade(db_url, spec.migrations, spec.metadata)
            return asyncio.run(run(db_url))
        finally:
            server.stop()


async def run_script(db: Any, sql: str, params: dict[str, Any]) -> None:
    """The ``;``-separated statements of ``sql`` run with ``params`` in one transaction."""
    from sqlalchemy import text

    async with db.transaction() as session:
        for statement in sql.split(";"):
            if statement.strip():
                await session.execute(text(statement), params)


async def analyze(db: Any, tables: str) -> None:
    """VACUUM ANALYZE ``tables`` (comma-separated), so the planner sees the data just written."""
    from sqlalchemy import text

    async with db.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f"VACUUM ANALYZE {tables}"))


async def timed(calls: int, one: Callable[[int], Awaitable[Any]], *, warm_up: bool = False) -> list[float]:
    """Milliseconds of each of ``calls`` sequential calls ``one(0)``, ``one(1)``…; with ``warm_up``
    one untimed call first."""
    if warm_up:
        await one(0)
    times = []
    for i in range(calls):
        started = time.perf_counter()
        await one(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


class InProcess:
    """A service's HTTP API in this process (httpx ASGI transport: routing, JWT, validation, JSON) on
    a given database, without its broker, relay, consumer or scheduler — for measuring the API path of
    a read against the same SQL run directly."""

    def __init__(self, service: str, database_url: str) -> None:
        import importlib

        from fours_devstack.keys import generate_pem_pair
        from servicekit.logs import configure_logging

        self.private, public = generate_pem_pair()
        settings = importlib.import_module(f"{service}.settings").Settings(
            database_url=database_url,
            jwt_public_key=public,
            kafka_bootstrap="127.0.0.1:1",
            log_level="WARNING",
            relay_enabled=False,
            consumer_enabled=False,
            scheduler_enabled=False,
        )
        self.app = importlib.import_module(f"{service}.main").create_app(settings)
        configure_logging("WARNING", "console")
        self.service = service

    def headers(self, role: str, employee_no: str | None = None, team: str | None = None) -> dict[str, str]:
        from datetime import timedelta

        from servicekit.auth import issue_token

        jwt = issue_token(
            self.private,
            subject=f"user-{role}",
            ttl=timedelta(hours=1),
            claims={"username": role, "role": role, "employee_no": employee_no, "team": team},
        )
        return {"authorization": f"Bearer {jwt}"}

    def client(self) -> Any:
        import httpx

        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=f"http://{self.service}")
