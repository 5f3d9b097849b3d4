"""A mixed day of a 4S store at 10× a busy day's peak hour, against the whole platform of `make dev`:
logins, customer searches, leads entered, agendas read, deliveries, repair orders opened, policy
batches pushed — each at its own steady rate (open loop) for ``BENCH_LOAD_SECONDS`` (default 300).

Reported into bench/RESULTS.md: p50/p99 and errors per call, the event lag from a delivery to its
follow-up call in aftersales, and the memory of each process at the start and the end.

Run: ``make bench BENCH=load``.
"""

import asyncio
import os
import random
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fours_devstack.launcher import Platform

from bench.results import machine, percentile, write_section

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "300"))
PASSWORD = "bench-admin-password"
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
# per minute: a busy store's peak hour (see README) × 10
RATES = {
    "POST /auth/token (login)": 10,
    "GET /customers?mobile= (search)": 60,
    "POST /leads": 20,
    "GET /tasks?assignee=me&due=today": 30,
    "POST /deliveries": 5,
    "POST /repair-orders": 10,
    "POST /integrations/policies:batch (100)": 1,
}


def _vin() -> str:
    return "LBL" + "".join(random.choice(VIN_CHARS) for _ in range(14))


def _mobile() -> str:
    return "13" + "".join(random.choice("0123456789") for _ in range(9))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _setup(api: httpx.AsyncClient) -> dict[str, Any]:
    consultants, advisors = [], []
    for n in range(10):
        body = {
            "employee_no": f"LS{n:03d}",
            "name": "顾问",
            "role": "sales_consultant",
            "team": "showroom-1",
            "hired_on": "2020-01-01",
            "base_wage": "1200.00",
        }
        consultants.append((await api.post("/api/v1/employees", json=body)).json()["employee_no"])
    for n in range(4):
        body = {
            "employee_no": f"LA{n:03d}",
            "name": "服务顾问",
            "role": "service_advisor",
            "team": "service",
            "hired_on": "2020-01-01",
            "base_wage": "1200.00",
        }
        advisors.append((await api.post("/api/v1/employees", json=body)).json()["employee_no"])
    await api.post(
        "/api/v1/users",
        json={
            "username": "load-consultant",
            "password": "load-consultant-pw",
            "role": "sales_consultant",
            "employee_no": consultants[0],
        },
    )
    key = (
        await api.post("/api/v1/api-keys", json={"name": "load", "partner": "picc", "scopes": ["insurance:push"]})
    ).json()["key"]
    cars = []
    for _ in range(40):
        car = _vin()
        await api.post(
            "/api/v1/vehicles", json={"vin": car, "model": "Sagitar", "owner": {"name": "客户", "mobile": _mobile()}}
        )
        cars.append(car)
    return {"consultants": consultants, "advisors": advisors, "key": key, "cars": cars}


async def _run(platform: Platform) -> dict[str, Any]:
    gateway = platform.url_of("gateway")
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=20, keepalive_expiry=20)
    async with httpx.AsyncClient(base_url=gateway, timeout=30, limits=limits) as anon:
        admin = (await anon.post("/api/v1/auth/token", json={"username": "admin", "password": PASSWORD})).json()
        api = httpx.AsyncClient(
            base_url=gateway, timeout=30, limits=limits, headers={"authorization": f"Bearer {admin['access_token']}"}
        )
        world = await _setup(api)
        await asyncio.sleep(3)  # the services learn the staff from the employee events
        consultant = (
            await anon.post(
                "/api/v1/auth/token", json={"username": "load-consultant", "password": "load-consultant-pw"}
            )
        ).json()
        me = httpx.AsyncClient(
            base_url=gateway,
            timeout=30,
            limits=limits,
            headers={"authorization": f"Bearer {consultant['access_token']}"},
        )
        partner = httpx.AsyncClient(base_url=gateway, timeout=60, limits=limits, headers={"X-API-Key": world["key"]})
        latencies: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lags: list[float] = []
        pending: list[asyncio.Task[None]] = []

        async def follow_up_lag(car: str, posted: float) -> None:
            while time.monotonic() - posted < 120:
                response = await api.get("/api/v1/follow-ups", params={"vin": car})
                if response.status_code == 200 and response.json()["items"]:
                    lags.append((time.monotonic() - posted) * 1000)
                    return
                await asyncio.sleep(0.2)

        def call(
            name: str, send: Callable[[], Awaitable[httpx.Response]], ok: tuple[int, ...] = (200, 201)
        ) -> Callable[[], Coroutine[Any, Any, None]]:
            async def one() -> None:
                started = time.perf_counter()
                try:
                    response = await send()
                    if response.status_code not in ok:
                        errors[name] += 1
                except httpx.HTTPError:
                    errors[name] += 1
                latencies[name].append((time.perf_counter() - started) * 1000)

            return one

        async def delivery() -> None:
            car = _vin()
            body = {
                "vin": car,
                "customer": {"name": "王先生", "mobile": _mobile()},
                "consultant_no": random.choice(world["consultants"]),
                "model": "Lavida",
                "grade": "A",
                "price": "120000.00",
                "floor_price": "118000.00",
                "channel": "showroom",
                "delivered_at": datetime.now(UTC).isoformat(),
            }
            posted = time.monotonic()
            await call("POST /deliveries", lambda: api.post("/api/v1/deliveries", json=body))()
            pending.append(asyncio.create_task(follow_up_lag(car, posted)))

        def batch() -> Awaitable[httpx.Response]:
            today = datetime.now(UTC).date()
            items = [
                {
                    "insurer": "PICC",
                    "policy_no": f"LD{random.randrange(10**12)}",
                    "vin": _vin(),
                    "holder": {"name": "客户", "mobile": _mobile()},
                    "coverages": [{"code": "compulsory", "premium": "950.00"}],
                    "premium": "950.00",
                    "start_date": today.isoformat(),
                    "end_date": today.replace(year=today.year + 1).isoformat(),
                }
                for _ in range(100)
            ]
            return partner.post("/api/v1/integrations/policies:batch", json={"items": items})

        work: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {
            "POST /auth/token (login)": call(
                "POST /auth/token (login)",
                lambda: anon.post(
                    "/api/v1/auth/token", json={"username": "load-consultant", "password": "load-consultant-pw"}
                ),
            ),
            "GET /customers?mobile= (search)": call(
                "GET /customers?mobile= (search)",
                lambda: api.get("/api/v1/customers", params={"mobile": "13" + str(random.randrange(10, 99))}),
            ),
            "POST /leads": call(
                "POST /leads",
                lambda: me.post(
                    "/api/v1/leads",
                    json={
                        "customer": {"name": "客户", "mobile": _mobile()},
                        "source": random.choice(["showroom", "phone", "website"]),
                    },
                ),
            ),
            "GET /tasks?assignee=me&due=today": call(
                "GET /tasks?assignee=me&due=today",
                lambda: me.get("/api/v1/tasks", params={"assignee": "me", "due": "today"}),
            ),
            "POST /deliveries": delivery,
            "POST /repair-orders": call(
                "POST /repair-orders",
                lambda: api.post(
                    "/api/v1/repair-orders",
                    json={
                        "vin": random.choice(world["cars"]),
                        "advisor_no": random.choice(world["advisors"]),
                        "mileage_km": 15000,
                        "type": "maintenance",
                        "opened_at": datetime.now(UTC).isoformat(),
                        "concerns": "service",
                    },
                ),
                ok=(201, 409),
            ),
            "POST /integrations/policies:batch (100)": call("POST /integrations/policies:batch (100)", batch),
        }
        pids = {name: process.pid for name, process in platform.processes.items()}
        memory_start = {name: _rss_mb(pid) for name, pid in pids.items()}

        async def steady(name: str, per_minute: float) -> None:
            interval = 60.0 / per_minute
            deadline = time.monotonic() + SECONDS
            nxt = time.monotonic() + random.random() * interval
            tasks: list[asyncio.Task[None]] = []
            while nxt < deadline:
                await asyncio.sleep(max(0.0, nxt - time.monotonic()))
                tasks.append(asyncio.create_task(work[name]()))
                nxt += interval
            await asyncio.gather(*tasks)

        await asyncio.gather(*(steady(name, rate) for name, rate in RATES.items()))
        await asyncio.gather(*pending)
        memory_end = {name: _rss_mb(pid) for name, pid in pids.items()}
        for client in (api, me, partner):
            await client.aclose()
    return {"latencies": latencies, "errors": errors, "lags": lags, "memory": (memory_start, memory_end)}


def main() -> None:
    os.environ["GATEWAY_RATE_PER_MINUTE_USER"] = "100000000"  # the admin client stands for many staff
    platform = Platform.throwaway("fours-bench-load-", PASSWORD)
    platform.start()
    try:
        figures = asyncio.run(_run(platform))
    finally:
        platform.stop()
    lines = [
        f"Machine: {machine()}.",
        f"{SECONDS:.0f} s of a mixed day at 10× a busy store's peak hour (rates per minute below), open loop, "
        "against the whole platform of `make dev` on this machine beside the load generator.",
        "",
        "| call | per minute | n | errors | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, rate in RATES.items():
        values = figures["latencies"][name]
        lines.append(
            f"| {name} | {rate} | {len(values)} | {figures['errors'][name]} | "
            f"{percentile(values, 50):.1f} | {percentile(values, 99):.1f} |"
        )
    total_errors = sum(figures["errors"].values())
    lags = figures["lags"]
    start, end = figures["memory"]
    lines += [
        "",
        f"Errors in all: {total_errors} (target 0: {'met' if total_errors == 0 else 'NOT met'}). Event lag from a "
        f"delivery's 201 to its follow-up call readable in aftersales (polled every 200 ms): p50 "
        f"{percentile(lags, 50):.0f} ms, p99 {percentile(lags, 99):.0f} ms over {len(lags)} deliveries.",
        "",
        "| process | RSS at start MB | RSS at end MB |",
        "|---|---|---|",
        *(f"| {name} | {start[name]:.0f} | {end[name]:.0f} |" for name in start),
    ]
    body = "\n".join(lines)
    write_section("Load: a mixed day at 10× (issue: reliability)", body)
    print(body)


if __name__ == "__main__":
    main()
