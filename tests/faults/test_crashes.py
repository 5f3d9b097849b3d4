"""Faults with real processes: `make dev`'s platform on its own PostgreSQL and broker, its consumers
killed with SIGKILL mid-stream and started again — every event still counted exactly once."""

import asyncio
import os
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from factories import delivery, employee
from fours_devstack.backup import _connect_kwargs
from fours_devstack.launcher import Platform
from servicekit.broker import Broker

DELIVERIES = int(os.environ.get("FAULT_DELIVERIES", "1000"))
PASSWORD = "fault-admin-password"


@pytest.fixture
def platform() -> Iterator[Platform]:
    os.environ["GATEWAY_RATE_PER_MINUTE_USER"] = "100000000"  # one user posts every delivery
    launched = Platform.throwaway("fours-faults-", PASSWORD)
    launched.start()
    try:
        yield launched
    finally:
        launched.stop()
        os.environ.pop("GATEWAY_RATE_PER_MINUTE_USER", None)
    assert not (launched.data_dir / "postgres").exists(), "a throwaway platform leaves its database behind"


async def _count(platform: Platform, database: str, sql: str, *args: Any) -> int:
    assert platform.postgres_url
    conn = await asyncpg.connect(**_connect_kwargs(platform.postgres_url, database))
    try:
        return int(await conn.fetchval(sql, *args))
    finally:
        await conn.close()


async def _rows(platform: Platform, database: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    assert platform.postgres_url
    conn = await asyncpg.connect(**_connect_kwargs(platform.postgres_url, database))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def _event_ids_on(bootstrap: str, topic: str) -> dict[str, list[tuple[int, int]]]:
    """Every event id the broker holds in ``topic`` now, with the (partition, offset) of each copy."""
    reader = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await reader.start()
    held: dict[str, list[tuple[int, int]]] = {}
    try:
        while batches := await reader.getmany(timeout_ms=2000):
            for records in batches.values():
                for r in records:
                    ce_id = dict(r.headers).get("ce_id", b"").decode()
                    held.setdefault(ce_id, []).append((r.partition, r.offset))
    finally:
        await reader.stop()
    return held


async def _missed_deliveries(platform: Platform, deliveries: list[str]) -> str:
    """For a failure's message: each of ``deliveries`` aftersales has no call for, and what the broker,
    aftersales' inbox and its dead letters say of its event."""
    sent = await _rows(
        platform,
        "leads",
        "SELECT o.id, o.event_id::text, o.key, o.sent_at FROM outbox o JOIN deliveries d "
        "ON d.delivered_event_id = o.event_id::text WHERE d.id = ANY($1)",
        deliveries,
    )
    called = {
        r["source_event_id"] for r in await _rows(platform, "aftersales", "SELECT source_event_id FROM follow_ups")
    }
    seen = {r["event_id"] for r in await _rows(platform, "aftersales", "SELECT event_id FROM inbox")}
    parked = {
        r["event_id"]: r["error"]
        for r in await _rows(platform, "aftersales", "SELECT event_id, error FROM dead_letters")
    }
    missed = [r for r in sent if r["event_id"] not in called]
    assert platform.kafka_bootstrap
    broker = Broker(platform.kafka_bootstrap, client_id="fault-test", partitions=1, replication=1, retention_ms=1)
    ends = await broker.end_offsets("leads.events")
    on_broker = await _event_ids_on(platform.kafka_bootstrap, "leads.events")
    return f"{len(missed)}, leads.events ends at {ends}: " + "; ".join(
        f"outbox {r['id']} key {r['key']} sent {r['sent_at']}: on the broker {on_broker.get(r['event_id'])}, "
        f"in inbox {r['event_id'] in seen}, "
        f"parked {parked.get(r['event_id'], 'no')}"
        for r in missed
    )


async def _until(probe: Any, timeout: float, state: Any = lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not await probe():
        assert time.monotonic() < deadline, f"timed out: {state()}"
        await asyncio.sleep(0.5)


async def test_consumers_killed_twice_mid_stream_still_count_every_delivery_once(platform: Platform) -> None:
    api, consultants = await _admin_with_consultants(platform, 20)

    posted = 0
    sold: set[str] = set()
    first_pids = {service: platform.processes[service].pid for service in ("aftersales", "payroll")}
    kills = 0

    async def post(n: int) -> None:
        nonlocal posted
        response = await api.post("/api/v1/deliveries", json=delivery(consultants[n % len(consultants)]))
        assert response.status_code == 201, response.text
        sold.add(response.json()["delivery_id"])
        posted += 1

    async def sender(lane: int) -> None:
        for n in range(lane, DELIVERIES, 8):
            await post(n)

    async def crasher() -> None:
        nonlocal kills
        for at in (DELIVERIES // 3, 2 * DELIVERIES // 3):
            while posted < at:
                await asyncio.sleep(0.05)
            for service in ("aftersales", "payroll"):
                platform.kill(service)
                kills += 1
            await asyncio.sleep(1.0)  # events keep arriving on the broker meanwhile
            for service in ("aftersales", "payroll"):
                await asyncio.to_thread(platform.respawn, service)

    await asyncio.gather(*(sender(lane) for lane in range(8)), crasher())
    assert len(sold) == DELIVERIES and kills == 4
    assert all(platform.processes[service].pid != pid for service, pid in first_pids.items())

    async def caught_up() -> bool:
        calls = await _count(platform, "aftersales", "SELECT count(*) FROM follow_ups WHERE kind = 'delivery'")
        sales = await _count(platform, "payroll", "SELECT count(*) FROM car_sales")
        return calls >= DELIVERIES and sales >= DELIVERIES

    await _until(caught_up, 180)
    await asyncio.sleep(2)  # anything counted twice would show now
    assert await _count(platform, "aftersales", "SELECT count(*) FROM follow_ups WHERE kind = 'delivery'") == DELIVERIES
    assert (
        await _count(platform, "aftersales", "SELECT count(DISTINCT source_id) FROM follow_ups WHERE kind = 'delivery'")
        == DELIVERIES
    )
    assert await _count(platform, "payroll", "SELECT count(*) FROM car_sales") == DELIVERIES
    assert await _count(platform, "aftersales", "SELECT count(*) FROM dead_letters") == 0
    assert await _count(platform, "payroll", "SELECT count(*) FROM dead_letters") == 0
    await api.aclose()


async def _known(platform: Platform, n: int) -> bool:
    return await _count(platform, "leads", "SELECT count(*) FROM staff_directory") >= n


async def _admin_with_consultants(platform: Platform, n: int) -> tuple[httpx.AsyncClient, list[str]]:
    """The admin's client (the caller closes it) and ``n`` consultants hired and known to leads."""
    async with httpx.AsyncClient(base_url=platform.url_of("gateway"), timeout=30) as anon:
        token = (await anon.post("/api/v1/auth/token", json={"username": "admin", "password": PASSWORD})).json()
    api = httpx.AsyncClient(
        base_url=platform.url_of("gateway"), timeout=30, headers={"authorization": f"Bearer {token['access_token']}"}
    )
    consultants = [(await api.post("/api/v1/employees", json=employee())).json()["employee_no"] for _ in range(n)]
    await _until(lambda: _known(platform, n), 60)
    return api, consultants


async def test_postgres_restarted_mid_stream_gives_503s_then_recovers_and_loses_nothing(platform: Platform) -> None:
    assert platform._pg is not None
    api, [consultant] = await _admin_with_consultants(platform, 1)
    total = 120
    bodies = [delivery(consultant) for _ in range(total)]
    statuses: list[int] = []
    down_seen = False

    async def post(n: int) -> httpx.Response:
        started = time.monotonic()
        response = await api.post("/api/v1/deliveries", json=bodies[n], headers={"Idempotency-Key": f"pg-{n}"})
        assert time.monotonic() - started < 25, "a request hung"
        assert response.status_code in (201, 503), response.text
        if response.status_code == 503:
            assert response.headers["content-type"] == "application/problem+json"
        statuses.append(response.status_code)
        return response

    pending = list(range(total))
    for n in range(total):
        if n == total // 2:
            await asyncio.to_thread(platform._pg.stop)
            async with httpx.AsyncClient(timeout=5) as probe:
                for _ in range(50):
                    if (
                        await probe.get(f"{platform.url_of('leads')}/readyz", params={"self": "true"})
                    ).status_code == 503:
                        down_seen = True
                        break
                    await asyncio.sleep(0.1)
        if n == total // 2 + 10:
            await asyncio.to_thread(platform._pg.start)
        if (await post(n)).status_code == 201:
            pending.remove(n)
    assert down_seen and 503 in statuses
    deadline = time.monotonic() + 60
    while pending:  # the services recover on their own: retry the refused ones with their keys
        assert time.monotonic() < deadline, f"{len(pending)} deliveries never accepted"
        for n in list(pending):
            if (await post(n)).status_code == 201:
                pending.remove(n)
        await asyncio.sleep(0.5)
    vins = "', '".join(b["vin"] for b in bodies)
    assert await _count(platform, "leads", f"SELECT count(*) FROM deliveries WHERE vin IN ('{vins}')") == total

    async def caught_up() -> bool:
        calls = await _count(platform, "aftersales", f"SELECT count(*) FROM follow_ups WHERE vin IN ('{vins}')")
        sales = await _count(platform, "payroll", f"SELECT count(*) FROM car_sales WHERE vin IN ('{vins}')")
        return calls == total and sales == total

    await _until(caught_up, 120)
    async with httpx.AsyncClient(timeout=5) as probe:
        for service in ("leads", "aftersales", "payroll"):
            assert (await probe.get(f"{platform.url_of(service)}/readyz", params={"self": "true"})).status_code == 200
    await api.aclose()


async def test_the_broker_restarted_mid_stream_still_counts_every_delivery_once(platform: Platform) -> None:
    """Apache Kafka, stopped mid-stream, comes back with its data (a controlled shutdown, as an
    orchestrator stops it): nothing is published again, the consumers go on from their committed
    offsets. tansu comes back empty (topics, offsets and groups were in its memory): the relays notice
    and publish their outboxes again, and the consumers read from the start.

    tansu is restarted in a pause of the stream, with nothing in flight: restarted mid-stream, tansu
    0.6 takes a producer's retried batch into a topic it does not list, fails every later write once
    that topic is created, and acknowledges events no reader is ever served (7 of 900 once), so there
    the recovery is best effort, as becomes a memory-only dev broker (README, Brokers). It may also
    hold back the last batch acknowledged after the restart until the next write, so the store goes
    on selling afterwards, a delivery a second, as it does; the 300 deliveries of the stream are the
    ones counted. (tansu, sent SIGTERM, serves for up to 5 s more before it is killed; killed at once,
    its consumer groups do not recover: see the note on issue #25.)"""
    assert platform._broker is not None
    api, consultants = await _admin_with_consultants(platform, 5)
    total = 300
    posted: list[str] = []
    stopped_at: list[int] = []

    async def sell(n: int) -> str:
        response = await api.post("/api/v1/deliveries", json=delivery(consultants[n % len(consultants)]))
        assert response.status_code == 201, response.text
        return str(response.json()["delivery_id"])

    seen: dict[str, int] = {}

    async def counted() -> dict[str, int]:
        calls = "SELECT count(*) FROM follow_ups WHERE kind = 'delivery' AND source_id = ANY($1)"
        seen["calls"] = await _count(platform, "aftersales", calls, posted)
        seen["sales"] = await _count(
            platform, "payroll", "SELECT count(*) FROM car_sales WHERE delivery_id = ANY($1)", posted
        )
        return seen

    async def caught_up(n: int = total) -> bool:
        return min((await counted()).values()) >= n

    selling = asyncio.Event()
    selling.set()

    async def sender(lane: int) -> None:
        for n in range(lane, total, 4):
            await selling.wait()
            posted.append(await sell(n))

    async def restarter() -> None:
        assert platform._broker is not None
        while len(posted) < total // 2:
            await asyncio.sleep(0.05)
        if platform._broker.kind == "tansu":  # in a pause, with every event sent so far handled
            selling.clear()
            await asyncio.sleep(0.5)  # the sales under way are answered
            await _until(lambda: caught_up(len(posted)), 120)
        stopped_at.append(len(posted))
        await asyncio.to_thread(platform._broker.stop)
        await asyncio.sleep(1.0)
        await asyncio.to_thread(platform._broker.start)
        selling.set()

    await asyncio.gather(*(sender(lane) for lane in range(4)), restarter())
    assert stopped_at[0] < total * 0.8, f"the broker was stopped only after {stopped_at[0]} of {total} deliveries"

    async def trading_on() -> None:
        n = total
        while True:
            await asyncio.sleep(1.0)
            await sell(n)
            n += 1

    later = asyncio.create_task(trading_on())
    try:
        # 300 s: alone it catches up in ~40 s; in CI, beside the session's own platform, it once took over 180
        await _until(caught_up, 300)
    except AssertionError:
        pytest.fail(f"of {total} deliveries, {seen} counted; missed {await _missed_deliveries(platform, posted)}")
    finally:
        later.cancel()
        await asyncio.gather(later, return_exceptions=True)
    await asyncio.sleep(2)
    assert await counted() == {"calls": total, "sales": total}
    await api.aclose()
    if platform._broker.kind == "apache":  # Kafka kept everything: the dev broker's recovery never fired
        said = (platform.data_dir / "leads.log").read_text(errors="replace")
        assert "republishing" not in said and "lost this topic" not in said
