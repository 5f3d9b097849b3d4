"""The same read through the gateway and straight to the service, and the customer 360 — p50/p99.

Run: ``make bench BENCH=gateway_overhead`` (``BENCH_READS`` sets the number of reads, default 6000).
"""

import asyncio
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fours_devstack.launcher import Platform

from bench.results import machine, percentile, write_section

READS = int(os.environ.get("BENCH_READS", "6000"))
CONCURRENCY = 8
ROUNDS = 24


async def _timed(client: httpx.AsyncClient, path: str, n: int, concurrency: int = CONCURRENCY) -> list[float]:
    latencies: list[float] = []
    queue = iter(range(n))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _compare(
    through: httpx.AsyncClient, direct: httpx.AsyncClient, path: str, concurrency: int, gateway_pid: int
) -> dict[str, Any]:
    """Direct and through the gateway in alternating rounds, so drift on the machine (the other
    services' loops, autovacuum) falls on both alike; the rounds' latencies are pooled."""
    figures: dict[str, Any] = {"through": [], "direct": [], "gateway_cpu_us": 0.0, "round_ratios": []}
    per_round = max(50, READS // ROUNDS)
    for client in (direct, through):
        await _timed(client, path, 200, concurrency)  # warm-up: connections, caches
    for round_no in range(ROUNDS):
        order = [("direct", direct), ("through", through)]
        this_round = {}
        for name, client in order if round_no % 2 == 0 else reversed(order):
            cpu = _cpu_seconds(gateway_pid)
            this_round[name] = await _timed(client, path, per_round, concurrency)
            figures[name] += this_round[name]
            if name == "through":
                figures["gateway_cpu_us"] += (_cpu_seconds(gateway_pid) - cpu) * 1e6
        figures["round_ratios"].append(percentile(this_round["through"], 50) / percentile(this_round["direct"], 50))
    figures["gateway_cpu_us"] /= len(figures["through"])
    return figures


def _spread(ratios: list[float]) -> str:
    return f"{min(ratios):.2f}–{max(ratios):.2f}x"


async def _measure(platform: Platform, password: str) -> dict[str, Any]:
    gateway = platform.url_of("gateway")
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as anon:
        token = (await anon.post("/api/v1/auth/token", json={"username": "admin", "password": password})).json()
    auth = {"authorization": f"Bearer {token['access_token']}"}
    async with httpx.AsyncClient(base_url=gateway, headers=auth, timeout=30) as api:
        employee = {"employee_no": "BG1", "name": "销售", "role": "sales_consultant", "hired_on": "2020-01-01",
                    "base_wage": "1200.00"}  # fmt: skip
        (await api.post("/api/v1/employees", json=employee)).raise_for_status()
        body = {"vin": "LBENCHGW000000001", "customer": {"name": "客户", "mobile": "13900000001"},
                "consultant_no": "BG1", "model": "Lavida", "grade": "A", "price": "120000.00",
                "floor_price": "118000.00", "channel": "showroom", "delivered_at": datetime.now(UTC).isoformat()}  # fmt: skip
        while (response := await api.post("/api/v1/deliveries", json=body)).status_code == 422:
            await asyncio.sleep(0.2)
        customer_id = response.json()["customer_id"]
        while (await api.get(f"/api/v1/vehicles/{body['vin']}")).status_code != 200:
            await asyncio.sleep(0.1)
        path = f"/api/v1/vehicles/{body['vin']}"
        gateway_pid = platform.processes["gateway"].pid
        async with httpx.AsyncClient(base_url=platform.url_of("aftersales"), headers=auth, timeout=30) as direct:
            loaded = await _compare(api, direct, path, CONCURRENCY, gateway_pid)
            single = await _compare(api, direct, path, 1, gateway_pid)
        view = f"/api/v1/customers/{customer_id}/360"
        await _timed(api, view, 50)
        c360 = await _timed(api, view, max(200, READS // 5))
    return {"loaded": loaded, "single": single, "c360": c360}


def main() -> None:
    os.environ["GATEWAY_RATE_PER_MINUTE_USER"] = "100000000"  # measure the path, not the limiter's refusals
    platform = Platform.throwaway("fours-bench-gw-", "bench-admin-password")
    platform.start()
    try:
        figures = asyncio.run(_measure(platform, "bench-admin-password"))
    finally:
        platform.stop()
    loaded, single, c360 = figures["loaded"], figures["single"], figures["c360"]
    ratio = percentile(loaded["through"], 50) / percentile(loaded["direct"], 50)
    ratio_single = percentile(single["through"], 50) / percentile(single["direct"], 50)

    def row(name: str, values: list[float]) -> str:
        return f"| {name} | {percentile(values, 50):.2f} | {percentile(values, 99):.1f} | {len(values)} |"

    body = "\n".join(
        [
            f"Machine: {machine()}.",
            "`GET /api/v1/vehicles/{vin}` through the gateway (JWT check, rate limit raised out of the way, breaker, "
            "proxy over pooled keep-alive connections; the service checks the JWT again) and straight to aftersales, in "
            f"{ROUNDS} alternating rounds pooled ({READS} reads each way), with {CONCURRENCY} concurrent clients and "
            "with one; then the customer 360 (leads, aftersales and insurance in parallel) through the gateway. "
            "Whole platform from `make dev`'s launcher on this machine beside the client (httpx), all on 2 cores.",
            "",
            "| call | p50 ms | p99 ms | n |",
            "|---|---|---|---|",
            row(f"through the gateway, {CONCURRENCY} clients", loaded["through"]),
            row(f"straight to aftersales, {CONCURRENCY} clients (baseline)", loaded["direct"]),
            row("through the gateway, 1 client", single["through"]),
            row("straight to aftersales, 1 client (baseline)", single["direct"]),
            row("customer 360 through the gateway", c360),
            "",
            f"Gateway CPU per proxied read: {loaded['gateway_cpu_us']:.0f} µs ({CONCURRENCY} clients), "
            f"{single['gateway_cpu_us']:.0f} µs (1 client). The ratio of single rounds ranged "
            f"{_spread(loaded['round_ratios'])} with {CONCURRENCY} clients and {_spread(single['round_ratios'])} with one.",
            "",
            f"Gateway / direct at p50: {ratio:.2f}x with {CONCURRENCY} clients (target at most 1.3x: "
            f"{'met' if ratio <= 1.3 else 'NOT met'}); {ratio_single:.2f}x with one client.",
        ]
    )
    write_section("Gateway overhead and customer 360 (issue: gateway)", body)
    print(body)


if __name__ == "__main__":
    main()
