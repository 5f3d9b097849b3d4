"""One round of the delivery-flow benchmark on a platform of its own: deliveries posted through the
gateway at a steady rate (or a burst as fast as the gateway takes them), the time until both the
follow-up (aftersales) and the commission (payroll) are committed, the CPU each process spent on
them, and the raw aiokafka produce → consume of as many messages on the same broker.

A script on its own (it imports nothing of ``bench``): ``bench/delivery_flow.py`` runs it with the
interpreter of the checkout being measured — this one, or a git worktree of another commit for the
A/B mode — so the platform started is that checkout's code, and the load is the same code for both.
It prints one JSON object on its last line.

    python bench/flow_round.py '{"kind": "tansu", "rate": 20, "seconds": 30}'
    python bench/flow_round.py '{"kind": "tansu", "burst": 3000}'

Visibility is read from each consumer's inbox (``processed_at`` is the start of the transaction
that wrote the follow-up or the commission, a few milliseconds under the moment a reader sees it).
CPU is read from ``/proc/<pid>/stat`` (user + system, with the children each process has reaped)
before the first POST and after the last event is handled: per service process, PostgreSQL (the
postmaster and every backend), the broker, and this process as the load generator.
"""

import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from fours_devstack.launcher import Platform
from fours_devstack.postgres import database_url
from servicekit.broker import Broker
from servicekit.settings import ServiceSettings

CONSULTANTS = 50
PASSWORD = "bench-admin-password"
TICK = os.sysconf("SC_CLK_TCK")
CATCH_UP_SECONDS = 120.0
"""How long a round waits, after its last POST, for the consumers to handle everything."""


def _delivery(n: int, consultant: str) -> dict[str, Any]:
    vin = f"LBENCH{int(time.time()) % 100000:05d}{n:06d}"
    return {
        "vin": vin,
        "customer": {"name": "测试客户", "mobile": f"139{n:08d}"},
        "consultant_no": consultant,
        "model": "Lavida",
        "grade": "A" if n % 2 else "B",
        "price": "120000.00",
        "floor_price": "118000.00",
        "channel": "showroom",
        "loan": None,
        "insurance": {"insurer": "PICC", "coverages": ["compulsory"]},
        "accessories": None,
        "delivered_at": datetime.now(UTC).isoformat(),
    }


def _cpu_by_pid() -> tuple[dict[int, int], dict[int, float]]:
    """Every process's parent and CPU seconds (user + system, its reaped children's included)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu[pid] = sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime
    return parents, cpu


def _roots(platform: Platform) -> dict[str, int]:
    """The process each measured part runs as (its descendants are counted with it)."""
    roots = {name: process.pid for name, process in platform.processes.items()}
    roots["PostgreSQL"] = int((platform.data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    broker = platform._broker
    assert broker is not None and broker.process is not None
    roots["broker"] = broker.process.pid
    return roots


def cpu_snapshot(roots: dict[str, int]) -> dict[str, float]:
    parents, cpu = _cpu_by_pid()
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    totals = {}
    for name, root in roots.items():
        seen, todo = 0.0, [root]
        while todo:
            pid = todo.pop()
            seen += cpu.get(pid, 0.0)
            todo.extend(children.get(pid, ()))
        totals[name] = seen
    totals["load generator"] = time.process_time()
    return totals


def _spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before[name] for name in before}


async def _connect(platform: Platform, service: str) -> asyncpg.Connection:
    assert platform.postgres_url
    return await asyncpg.connect(database_url(platform.postgres_url, service).replace("+asyncpg", ""))


async def _until_leads_knows(platform: Platform, consultants: list[str]) -> None:
    """Every consultant in leads' copy of the staff (hired events are keyed by employee number, so they
    arrive on different partitions: one known says nothing of the others)."""
    conn = await _connect(platform, "leads")
    try:
        deadline = time.monotonic() + 60
        query = "SELECT count(*) FROM staff_directory WHERE employee_no = ANY($1)"
        while await conn.fetchval(query, consultants) < len(consultants):
            if time.monotonic() > deadline:
                raise TimeoutError("leads never learnt the consultants")
            await asyncio.sleep(0.2)
    finally:
        await conn.close()


class _Flow:
    """An admin's client on the platform, the consultants known to leads, one delivery warmed up."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.sent: dict[str, float] = {}
        """Each posted delivery's event id and the wall-clock time its POST started."""
        self.errors: dict[str, int] = {}

    async def __aenter__(self) -> "_Flow":
        gateway = self.platform.url_of("gateway")
        async with httpx.AsyncClient(base_url=gateway, timeout=30) as anon:
            tokens = (await anon.post("/api/v1/auth/token", json={"username": "admin", "password": PASSWORD})).json()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        self.api = httpx.AsyncClient(
            base_url=gateway,
            headers={"authorization": f"Bearer {tokens['access_token']}"},
            timeout=60,
            limits=limits,
        )
        run = int(time.time())
        self.consultants = [f"B{run % 100000}-{i}" for i in range(CONSULTANTS)]
        for no in self.consultants:
            body = {"employee_no": no, "name": "销售", "role": "sales_consultant", "hired_on": "2020-01-01"}
            (await self.api.post("/api/v1/employees", json=body | {"base_wage": "1200.00"})).raise_for_status()
        await _until_leads_knows(self.platform, self.consultants)
        for n in range(5):  # warm: the first requests and events of each process
            (
                await self.api.post("/api/v1/deliveries", json=_delivery(900000 + n, self.consultants[n]))
            ).raise_for_status()
        await asyncio.sleep(2)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.api.aclose()

    async def post(self, n: int) -> None:
        started = time.time()
        try:
            response = await self.api.post("/api/v1/deliveries", json=_delivery(n, self.consultants[n % CONSULTANTS]))
        except httpx.HTTPError as exc:
            self.errors[type(exc).__name__] = self.errors.get(type(exc).__name__, 0) + 1
            return
        if response.status_code != 201:
            key = f"{response.status_code} {response.text[:80]}"
            self.errors[key] = self.errors.get(key, 0) + 1
            return
        self.sent[response.json()["delivered_event_id"]] = started

    async def handled(self) -> dict[str, dict[str, float]]:
        """Per consumer, when it handled each posted delivery (epoch seconds)."""
        seen = {}
        for service in ("aftersales", "payroll"):
            conn = await _connect(self.platform, service)
            try:
                rows = await conn.fetch(
                    "SELECT event_id, extract(epoch from processed_at) AS t FROM inbox WHERE event_id = ANY($1)",
                    list(self.sent),
                )
            finally:
                await conn.close()
            seen[service] = {r["event_id"]: float(r["t"]) for r in rows}
        return seen

    async def caught_up(self, timeout: float) -> dict[str, dict[str, float]]:
        deadline = time.monotonic() + timeout
        while True:
            seen = await self.handled()
            if all(len(s) == len(self.sent) for s in seen.values()) or time.monotonic() > deadline:
                return seen
            await asyncio.sleep(0.25)


def _latencies(flow: _Flow, seen: dict[str, dict[str, float]]) -> list[float]:
    return [
        (max(seen["aftersales"][e], seen["payroll"][e]) - t) * 1000
        for e, t in flow.sent.items()
        if e in seen["aftersales"] and e in seen["payroll"]
    ]


async def _steady(platform: Platform, rate: float, seconds: float) -> dict[str, Any]:
    roots = _roots(platform)
    async with _Flow(platform) as flow:
        before = cpu_snapshot(roots)
        total = int(rate * seconds)
        tasks = []
        t0 = time.monotonic()
        for n in range(1, total + 1):
            delay = t0 + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(flow.post(n)))
        await asyncio.gather(*tasks)
        achieved = total / (time.monotonic() - t0)
        seen = await flow.caught_up(CATCH_UP_SECONDS)
        spent = _spent(before, cpu_snapshot(roots))
    latencies = _latencies(flow, seen)
    return {
        "posted": total,
        "rate": achieved,
        "errors": flow.errors,
        "latencies": latencies,
        "missing": len(flow.sent) - len(latencies),
        "cpu": spent,
    }


async def _burst(platform: Platform, deliveries: int) -> dict[str, Any]:
    """``deliveries`` posted by 32 clients at once, as fast as the gateway answers; then the rate at
    which the slower consumer works off what it had not handled when the last POST was answered."""
    async with _Flow(platform) as flow:
        queue = iter(range(1, deliveries + 1))

        async def client() -> None:
            for n in queue:
                await flow.post(n)

        t0 = time.monotonic()
        await asyncio.gather(*(client() for _ in range(32)))
        posted_in = time.monotonic() - t0
        behind_at_end = len(flow.sent) - min(len(s) for s in (await flow.handled()).values())
        t_end = time.monotonic()
        seen = await flow.caught_up(600)
        drained_in = time.monotonic() - t_end
        left = len(flow.sent) - min(len(s) for s in seen.values())
    return {
        "posted": len(flow.sent),
        "post_rate": len(flow.sent) / posted_in,
        "behind_at_end": behind_at_end,
        "drained_in": drained_in,
        "drain_rate": (behind_at_end - left) / drained_in if drained_in > 0 else float("nan"),
        "left": left,
        "errors": flow.errors,
    }


async def _baseline(platform: Platform, kind: str, rate: float, seconds: float) -> dict[str, Any]:
    """The same number of messages produced and consumed with aiokafka alone on the platform's broker
    (the floor: a produce and a fetch per event, nothing of ours), and what it cost the broker and this
    process."""
    assert platform.kafka_bootstrap
    bootstrap = platform.kafka_bootstrap
    settings = ServiceSettings(kafka_kind=kind)  # type: ignore[arg-type]
    topic = f"bench-baseline-{int(time.time())}"
    await Broker(bootstrap, client_id="bench", partitions=3, replication=1, retention_ms=3_600_000).ensure_topics(
        [topic]
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=settings.producer_idempotence, linger_ms=2
    )
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=topic,
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        metadata_max_age_ms=1000,
        fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,  # as the services on this broker
    )
    await producer.start()
    await producer.send_and_wait(topic, b"warm-up")
    await consumer.start()
    roots = {"broker": _roots(platform)["broker"]}
    before = cpu_snapshot(roots)
    total = int(rate * seconds)
    latencies: list[float] = []

    async def consume() -> None:
        while len(latencies) < total:
            batches = await consumer.getmany(timeout_ms=200)
            now = time.time()
            for records in batches.values():
                for record in records:
                    if record.value != b"warm-up":
                        latencies.append((now - float(record.value or b"0")) * 1000)

    reader = asyncio.create_task(consume())
    t0 = time.monotonic()
    for n in range(1, total + 1):
        delay = t0 + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await producer.send(topic, str(time.time()).encode(), key=str(n % 50).encode())
    await asyncio.wait_for(reader, timeout=60)
    spent = _spent(before, cpu_snapshot(roots))
    await producer.stop()
    await consumer.stop()
    return {"latencies": latencies, "messages": total, "cpu": spent}


def run(spec: dict[str, Any]) -> dict[str, Any]:
    os.environ["GATEWAY_RATE_PER_MINUTE_USER"] = "100000000"  # one user posts every delivery here
    platform = Platform.throwaway("fours-bench-", PASSWORD, kafka=spec["kind"])
    platform.start()
    try:
        if "burst" in spec:
            return {"burst": asyncio.run(_burst(platform, int(spec["burst"])))}
        flow = asyncio.run(_steady(platform, float(spec["rate"]), float(spec["seconds"])))
        baseline_seconds = float(spec.get("baseline_seconds", spec["seconds"]))
        baseline = asyncio.run(_baseline(platform, spec["kind"], float(spec["rate"]), baseline_seconds))
        return {"flow": flow, "baseline": baseline}
    finally:
        platform.stop()


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
