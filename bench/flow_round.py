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
import signal
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
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
CLIENTS, CONNECTIONS_PER_CLIENT = 10, 10
"""The load generator's HTTP clients, deliveries spread over them in turn: httpx looks at every
connection of its pool on each request and answer, so one pool of 100 connections cost the load
generator 11 ms of CPU per delivery at 120/s (it took a core from the platform it was measuring);
ten pools of ten cost a tenth of that per request."""
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


def _dsn(platform: Platform, service: str) -> str:
    """asyncpg's URL of one service's database (asyncpg takes no SQLAlchemy driver name)."""
    assert platform.postgres_url
    return database_url(platform.postgres_url, service).replace("+asyncpg", "")


async def _connect(platform: Platform, service: str) -> asyncpg.Connection:
    return await asyncpg.connect(_dsn(platform, service))


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
        limits = httpx.Limits(max_connections=CONNECTIONS_PER_CLIENT, max_keepalive_connections=CONNECTIONS_PER_CLIENT)
        self.clients = [
            httpx.AsyncClient(
                base_url=gateway,
                headers={"authorization": f"Bearer {tokens['access_token']}"},
                timeout=60,
                limits=limits,
            )
            for _ in range(CLIENTS)
        ]
        self.api = self.clients[0]
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
        for client in self.clients:
            await client.aclose()

    async def post(self, n: int) -> None:
        started = time.time()
        try:
            response = await self.clients[n % CLIENTS].post(
                "/api/v1/deliveries", json=_delivery(n, self.consultants[n % CONSULTANTS])
            )
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


def _latencies(sent: dict[str, float], seen: dict[str, dict[str, float]]) -> list[float]:
    """Per delivery started at ``sent[event]``, ms until both aftersales and payroll had handled it."""
    return [
        (max(seen["aftersales"][e], seen["payroll"][e]) - t) * 1000
        for e, t in sent.items()
        if e in seen["aftersales"] and e in seen["payroll"]
    ]


async def _paced(start: Callable[[int], Awaitable[None]], total: int, rate: float) -> float:
    """Deliveries 1..``total`` started at ``rate`` a second on the clock (open loop: one slow to answer
    does not hold back the next), all awaited; the rate achieved."""
    tasks = []
    t0 = time.monotonic()
    for n in range(1, total + 1):
        delay = t0 + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(start(n)))
    await asyncio.gather(*tasks)
    return total / (time.monotonic() - t0)


async def _flood(start: Callable[[int], Awaitable[None]], total: int, workers: int = 32) -> float:
    """Deliveries 1..``total`` started by ``workers`` at once, each taking the next as soon as its last
    is done (a burst as fast as they are taken); the seconds it took."""
    queue = iter(range(1, total + 1))

    async def worker() -> None:
        for n in queue:
            await start(n)

    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return time.monotonic() - t0


async def _steady(platform: Platform, rate: float, seconds: float) -> dict[str, Any]:
    roots = _roots(platform)
    async with _Flow(platform) as flow:
        before = cpu_snapshot(roots)
        total = int(rate * seconds)
        achieved = await _paced(flow.post, total, rate)
        seen = await flow.caught_up(CATCH_UP_SECONDS)
        spent = _spent(before, cpu_snapshot(roots))
    latencies = _latencies(flow.sent, seen)
    return {
        "posted": total,
        "rate": achieved,
        "errors": flow.errors,
        "latencies": latencies,
        "missing": len(flow.sent) - len(latencies),
        "cpu": spent,
    }


CONSUMING = ("aftersales", "insurance", "marketing", "payroll")
"""The services that consume the delivery: stopped during a burst, so the backlog is all of it."""


async def _burst(platform: Platform, deliveries: int) -> dict[str, Any]:
    """``deliveries`` posted by 32 clients at once while the four consuming services are stopped
    (SIGSTOP: consumers that have fallen behind) until leads' relay has published them all; then the
    services go on (SIGCONT), and the drain rate is how fast aftersales and payroll both work the whole
    backlog off: from the start of the first transaction that handles any of it (their group's rejoin
    before that is left out) to the moment both have handled the last. The CPU is what every process
    spent from SIGCONT until then."""
    roots = _roots(platform)
    async with _Flow(platform) as flow:
        for name in CONSUMING:
            platform.processes[name].send_signal(signal.SIGSTOP)
        try:
            posted_in = await _flood(flow.post, deliveries)
            await _until_published(platform, "leads")
            before = cpu_snapshot(roots)
        finally:
            for name in CONSUMING:
                platform.processes[name].send_signal(signal.SIGCONT)
        resumed = time.time()
        seen = await flow.caught_up(600)
        done = time.time()
        spent = _spent(before, cpu_snapshot(roots))
    handled = min(len(s) for s in seen.values())
    first = min((t for s in seen.values() for t in s.values()), default=done)
    return {
        "posted": len(flow.sent),
        "post_rate": len(flow.sent) / posted_in,
        "rejoined_in": first - resumed,
        "drained_in": done - first,
        "drain_rate": handled / (done - first) if done > first else float("nan"),
        "left": len(flow.sent) - handled,
        "errors": flow.errors,
        "cpu": spent,
    }


async def _until_published(platform: Platform, service: str, timeout: float = 120.0) -> None:
    """No event of ``service``'s outbox is waiting for its relay."""
    conn = await _connect(platform, service)
    try:
        deadline = time.monotonic() + timeout
        while await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{service}'s relay never published its outbox")
            await asyncio.sleep(0.1)
    finally:
        await conn.close()


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


_FLOOR_SQL = {
    "gateway": [
        "INSERT INTO audit_log (at, actor, actor_kind, role, method, path, status, request_id)"
        " VALUES (now(), 'admin', 'user', 'admin', 'POST', '/api/v1/deliveries', 201, $1)",
    ],
    "leads": [
        "SELECT employee_no, name, role, team FROM staff_directory WHERE employee_no = $1",
        "INSERT INTO customers (id, name, mobile, created_by) VALUES ($1, $2, $3, 'admin')"
        " ON CONFLICT (mobile) DO NOTHING RETURNING id",
        "INSERT INTO customer_sellers (customer_id, consultant_no) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        "INSERT INTO deliveries (id, vin, customer_id, consultant_no, channel, model, grade, price, floor_price,"
        " insurance, delivered_at, delivered_event_id, created_by)"
        " VALUES ($1, $2, $3, $4, 'showroom', 'Lavida', 'A', 120000, 118000, $5::jsonb, now(), $6, 'admin')"
        " ON CONFLICT (vin) WHERE status = 'delivered' DO NOTHING RETURNING *",
        "INSERT INTO tasks (id, kind, ref, customer_id, assignee_no, title, due_at, created_by)"
        " VALUES ($1, 'delivery_call', $2, $3, $4, '交车回访', now() + interval '1 day', 'admin')"
        " ON CONFLICT (kind, ref) WHERE status = 'open' DO NOTHING",
        "INSERT INTO due_jobs (kind, key, due_at, payload) VALUES ('anniversary', $1, now() + interval '1 year',"
        " '{}'::jsonb) ON CONFLICT ON CONSTRAINT due_jobs_once DO NOTHING",
        "INSERT INTO outbox (event_id, topic, key, type, headers, payload) VALUES ($1, $2, $3, 'delivered',"
        " '[]'::jsonb, $4) RETURNING id",
    ],
    "relay": "UPDATE outbox SET sent_at = now() WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL"
    " ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED) RETURNING id, topic, key, payload",
    "inbox": "INSERT INTO inbox (event_id, type, topic) SELECT unnest($1::text[]), 'delivered', $2"
    " ON CONFLICT DO NOTHING RETURNING event_id",
}


async def _floor(platform: Platform, rate: float, seconds: float, burst: int = 0) -> dict[str, Any]:
    """The delivery flow's work with nothing of ours in it: the same rows written with raw asyncpg in
    the same databases and transactions (the statements ``pg_stat_statements`` counts for a delivery:
    the gateway's audit row, leads' seven statements and its relay's mark, each consumer's inbox rows
    (one statement per fetch) and its effects in one transaction per fetch), the event produced once and fetched by four
    consumer groups with raw aiokafka, all in this one process on one event loop; no HTTP hop, no
    framework, no process per service. The services are stopped first; PostgreSQL and the broker are
    the platform's. With ``burst``, that many deliveries are written by 32 tasks at once while the
    consumers wait (still members of their groups), and once the relay has sent them all, the drain
    is timed as ``_burst`` times the platform's."""
    for process in platform.processes.values():
        process.terminate()
    for process in platform.processes.values():
        process.wait(15)
    roots = {name: pid for name, pid in _roots(platform).items() if name in ("PostgreSQL", "broker")}
    assert platform.kafka_bootstrap
    bootstrap = platform.kafka_bootstrap
    settings = ServiceSettings(kafka_kind=platform.kafka)
    topic = f"bench-floor-{int(time.time())}"
    await Broker(bootstrap, client_id="bench", partitions=3, replication=1, retention_ms=3_600_000).ensure_topics(
        [topic]
    )
    conns = {name: await _connect(platform, name) for name in _CONSUMERS}
    pools = {  # the requests' connections, ten at most per database as the services' pools
        name: await asyncpg.create_pool(_dsn(platform, name), min_size=2, max_size=10) for name in ("gateway", "leads")
    }
    relay_conn = await _connect(platform, "leads")
    run = int(time.time()) % 100000
    consultants = [f"F{run}-{i}" for i in range(CONSULTANTS)]
    await pools["leads"].executemany(
        "INSERT INTO staff_directory (employee_no, name, role, team, hired_on, event_time)"
        " VALUES ($1, '销售', 'sales_consultant', NULL, '2020-01-01', now()) ON CONFLICT DO NOTHING",
        [(no,) for no in consultants],
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=settings.producer_idempotence, linger_ms=2
    )
    await producer.start()
    total = int(rate * seconds)
    sent: dict[str, float] = {}
    committed: dict[str, dict[str, float]] = {name: {} for name in _CONSUMERS}
    began: dict[str, float] = {}
    """When each consumer's first transaction began (the platform's inbox keeps that time)."""
    wake, consuming = asyncio.Event(), asyncio.Event()
    consuming.set()

    async def deliver(n: int) -> None:
        started = time.time()
        event_id, delivery_id, customer_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        consultant = consultants[n % CONSULTANTS]
        vin = f"LFLOOR{run:05d}{n:06d}"
        payload = json.dumps(
            _delivery(n, consultant)
            | {"event": event_id, "delivery_id": delivery_id, "vin": vin, "customer_id": customer_id}
        )
        gw, leads = _FLOOR_SQL["gateway"], _FLOOR_SQL["leads"]
        async with pools["gateway"].acquire() as c:
            await c.execute(gw[0], event_id)
        async with pools["leads"].acquire() as c, c.transaction():
            await c.fetchrow(leads[0], consultant)
            await c.fetchrow(leads[1], uuid.UUID(customer_id), "测试客户", f"138{run:05d}{n:06d}"[-11:])
            await c.execute(leads[2], uuid.UUID(customer_id), consultant)
            await c.fetchrow(leads[3], delivery_id, vin, customer_id, consultant, '{"insurer": "PICC"}', event_id)
            await c.execute(leads[4], str(uuid.uuid4()), delivery_id, customer_id, consultant)
            await c.execute(leads[5], delivery_id)
            await c.fetchrow(leads[6], uuid.UUID(event_id), topic, vin, payload)
        sent[event_id] = started
        wake.set()

    async def relay() -> None:
        while True:
            await wake.wait()
            wake.clear()
            async with relay_conn.transaction():
                rows = await relay_conn.fetch(_FLOOR_SQL["relay"])
                acks = [
                    await producer.send(row["topic"], row["payload"].encode(), key=row["key"].encode())
                    for row in sorted(rows, key=lambda row: row["id"])
                ]
                await asyncio.gather(*acks)

    async def consume(name: str) -> None:
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap,
            group_id=f"{topic}-{name}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
        )
        await consumer.start()
        conn, effects = conns[name], _CONSUMERS[name]
        committed_at = time.monotonic()
        try:
            while True:
                await consuming.wait()
                batches = await consumer.getmany(timeout_ms=500, max_records=200)
                events = [json.loads(record.value or b"{}") for records in batches.values() for record in records]
                if events:
                    began.setdefault(name, time.time())
                    async with conn.transaction():  # the fetch's ids in one statement, as the kit's consumer
                        rows = await conn.fetch(_FLOOR_SQL["inbox"], [data["event"] for data in events], topic)
                        fresh = {row["event_id"] for row in rows}
                        for data in events:
                            if data["event"] in fresh:
                                fresh.discard(data["event"])
                                await effects(conn, data)
                    now = time.time()
                    committed[name].update({data["event"]: now for data in events})
                if time.monotonic() - committed_at >= 1 or not events:
                    await consumer.commit()
                    committed_at = time.monotonic()
        finally:
            await consumer.stop()

    workers = [asyncio.create_task(relay()), *(asyncio.create_task(consume(name)) for name in _CONSUMERS)]
    for n in range(900001, 900006):  # warm: the consumers joined their groups and handled these
        await deliver(n)
    while any(len(committed[name]) < 5 for name in _CONSUMERS):
        await asyncio.sleep(0.05)
    sent.clear()
    began.clear()
    for seen in committed.values():
        seen.clear()
    if burst:
        consuming.clear()
        total = burst
        achieved = total / await _flood(deliver, total)
        await _until_published(platform, "leads")
        consuming.set()
    before = cpu_snapshot(roots)
    if not burst:
        achieved = await _paced(deliver, total, rate)
    watched = ("aftersales", "payroll") if burst else tuple(_CONSUMERS)  # as the platform's burst watches
    deadline = time.monotonic() + (600 if burst else CATCH_UP_SECONDS)
    while any(len(committed[name]) < total for name in watched) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    done = time.time()
    spent = _spent(before, cpu_snapshot(roots))
    for worker in workers:
        worker.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    await producer.stop()
    for conn in (*conns.values(), relay_conn):
        await conn.close()
    for pool in pools.values():
        await pool.close()
    if burst:
        handled = min(len(committed[name]) for name in watched)
        first = min((began[name] for name in watched if name in began), default=done)
        return {
            "posted": total,
            "post_rate": achieved,
            "drained_in": done - first,
            "drain_rate": handled / (done - first) if done > first else float("nan"),
            "left": total - handled,
            "cpu": spent,
        }
    latencies = _latencies(sent, committed)
    return {"posted": total, "rate": achieved, "latencies": latencies, "missing": total - len(latencies), "cpu": spent}


def _fields(d: dict[str, Any], *names: str) -> list[Any]:
    """The event's values named (``customer.name`` reaches into the customer), as statement arguments."""
    values = []
    for name in names:
        value: Any = d
        for part in name.split("."):
            value = value[part]
        values.append(value)
    return values


async def _aftersales(conn: asyncpg.Connection, d: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO vehicles (vin, model, grade, owner_customer_id, owner_name, owner_mobile, origin, delivery_id,"
        " consultant_no, delivered_at, sold_status) VALUES ($1, $2, $3, $4, $5, $6, 'sold_here', $7, $8, now(), 'sold')"
        " ON CONFLICT (vin) DO UPDATE SET model = excluded.model, delivery_id = excluded.delivery_id,"
        " updated_at = now()",
        *_fields(
            d,
            "vin",
            "model",
            "grade",
            "customer_id",
            "customer.name",
            "customer.mobile",
            "delivery_id",
            "consultant_no",
        ),
    )
    await conn.execute(
        "INSERT INTO follow_ups (id, kind, vin, source_id, source_event_id, handed_over_at, due_date, staff_no)"
        " VALUES ($1, 'delivery', $2, $3, $4, now(), current_date + 3, $5)"
        " ON CONFLICT ON CONSTRAINT follow_ups_once_per_handover DO NOTHING",
        str(uuid.uuid4()),
        *_fields(d, "vin", "delivery_id", "event", "consultant_no"),
    )
    await conn.fetch("SELECT months, km FROM service_intervals WHERE model = $1", d["model"])
    await _plan(conn, "reminder", [f"{d['vin']}:{i}" for i in (1, 2)], days=90)


async def _insurance(conn: asyncpg.Connection, d: dict[str, Any]) -> None:
    await conn.fetchval(
        "INSERT INTO policies (id, insurer, policy_no, vin, holder_name, holder_mobile, kind, coverages, premium,"
        " start_date, end_date, source, content_hash) VALUES ($1, 'PICC', $2, $3, $4, $5, 'new_car',"
        " '[\"compulsory\"]'::jsonb, 0, current_date, current_date + 365, 'delivery', $6)"
        " ON CONFLICT ON CONSTRAINT policies_by_insurer_number DO NOTHING RETURNING id",
        str(uuid.uuid4()),
        f"D-{d['delivery_id']}",
        *_fields(d, "vin", "customer.name", "customer.mobile", "event"),
    )
    registration = await conn.fetchval(
        "INSERT INTO registrations (id, delivery_id, vin, model, customer_id, customer_name, customer_mobile,"
        " consultant_no, delivered_on, due_on, financed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, current_date,"
        " current_date + 15, false) ON CONFLICT (delivery_id) DO NOTHING RETURNING id",
        str(uuid.uuid4()),
        *_fields(d, "delivery_id", "vin", "model", "customer_id", "customer.name", "customer.mobile", "consultant_no"),
    )
    await conn.executemany(
        "INSERT INTO registration_documents (registration_id, code, label, position, received)"
        " VALUES ($1, $2, $2, $3, false)",
        [(registration, code, i) for i, code in enumerate(("invoice", "certificate", "id_card", "compulsory"))],
    )
    await conn.execute(
        "INSERT INTO new_car_sales (delivery_id, vin, consultant_no, delivered_at, month, insurer, coverages)"
        " VALUES ($1, $2, $3, now(), to_char(now(), 'YYYY-MM'), 'PICC', $4) ON CONFLICT (delivery_id) DO NOTHING",
        *_fields(d, "delivery_id", "vin", "consultant_no"),
        ["compulsory"],
    )
    await _plan(conn, "renewal", [f"{d['vin']}:{i}" for i in range(5)], days=300)


async def _marketing(conn: asyncpg.Connection, d: dict[str, Any]) -> None:
    await conn.fetch(
        "SELECT campaign_code, channel FROM attributed_leads WHERE customer_id = $1 AND created_at <= now()"
        " ORDER BY created_at DESC LIMIT 1",
        d["customer_id"],
    )
    await conn.execute(
        "INSERT INTO attributed_sales (delivery_id, customer_id, channel, price, delivered_at)"
        " VALUES ($1, $2, 'showroom', 120000, now()) ON CONFLICT DO NOTHING",
        d["delivery_id"],
        d["customer_id"],
    )
    await conn.execute(
        "INSERT INTO sales_history (year, month, counted)"
        " VALUES (extract(year FROM now())::int, extract(month FROM now())::int, 1)"
        " ON CONFLICT (year, month) DO UPDATE SET counted = sales_history.counted + 1"
    )


async def _payroll(conn: asyncpg.Connection, d: dict[str, Any]) -> None:
    await conn.fetch("SELECT month FROM closed_months")
    await conn.execute(
        "INSERT INTO car_sales (delivery_id, delivered_event_id, vin, consultant_no, grade, channel, model, price,"
        " floor_price, coverages, delivered_at, month) VALUES ($1, $2, $3, $4, $5, 'showroom', $6, 120000, 118000,"
        " $7, now(), to_char(now(), 'YYYY-MM')) ON CONFLICT (delivery_id) DO NOTHING",
        *_fields(d, "delivery_id", "event", "vin", "consultant_no", "grade", "model"),
        ["compulsory"],
    )


async def _plan(conn: asyncpg.Connection, kind: str, keys: list[str], *, days: int) -> None:
    """Due jobs planned once per (kind, key), ``days`` ahead, in one round trip, as the kit plans them."""
    await conn.executemany(
        "INSERT INTO due_jobs (kind, key, due_at, payload) VALUES ($1, $2, now() + make_interval(days => $3),"
        " '{}'::jsonb) ON CONFLICT ON CONSTRAINT due_jobs_once DO NOTHING",
        [(kind, key, days) for key in keys],
    )


_CONSUMERS = {"aftersales": _aftersales, "insurance": _insurance, "marketing": _marketing, "payroll": _payroll}


def run(spec: dict[str, Any]) -> dict[str, Any]:
    os.environ["GATEWAY_RATE_PER_MINUTE_USER"] = "100000000"  # one user posts every delivery here
    platform = Platform.throwaway("fours-bench-", PASSWORD, kafka=spec["kind"])
    platform.start()
    try:
        if spec.get("floor"):
            rate, seconds, burst = float(spec.get("rate", 0)), float(spec.get("seconds", 0)), int(spec.get("burst", 0))
            return {"floor": asyncio.run(_floor(platform, rate, seconds, burst))}
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
