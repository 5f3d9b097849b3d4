"""The same read through the gateway and straight to the service, and the customer 360 — p50/p99.

Run: ``make bench BENCH=gateway_overhead`` (``BENCH_READS`` sets the number of reads, default 3000).
"""

import asyncio
import os
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from fours_devstack.launcher import Platform

from bench.results import machine, percentile, write_section

READS = int(os.environ.get("BENCH_READS", "3000"))
CONCURRENCY = 8


async def _timed(client: httpx.AsyncClient, path: str, n: int) -> list[float]:
    latencies: list[float] = []
    queue = iter(range(n))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return latencies


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
        await _timed(api, path, 200)  # warm-up
        through = await _timed(api, path, READS)
        view = f"/api/v1/customers/{customer_id}/360"
        await _timed(api, view, 50)
        c360 = await _timed(api, view, max(200, READS // 5))
    async with httpx.AsyncClient(base_url=platform.url_of("aftersales"), headers=auth, timeout=30) as direct:
        await _timed(direct, path, 200)
        straight = await _timed(direct, path, READS)
    return {"through": through, "direct": straight, "c360": c360}


def main() -> None:
    os.environ["GATEWAY_RATE_PER_MINUTE_USER"] = "100000000"  # measure the path, not the limiter's refusals
    platform = Platform.throwaway("fours-bench-gw-", "bench-admin-password")
    platform.start()
    try:
        figures = asyncio.run(_measure(platform, "bench-admin-password"))
    finally:
        platform.stop()
    through, direct, c360 = figures["through"], figures["direct"], figures["c360"]
    ratio = percentile(through, 50) / percentile(direct, 50)

    def row(name: str, values: list[float]) -> str:
        return f"| {name} | {percentile(values, 50):.1f} | {percentile(values, 99):.1f} | {len(values)} |"

    body = "\n".join(
        [
            f"Machine: {machine()}.",
            f"`GET /api/v1/vehicles/{{vin}}` {READS} times with {CONCURRENCY} concurrent clients, through the gateway "
            "(JWT check, rate limit raised out of the way, breaker, proxy over pooled httpx; the service checks the "
            "JWT again) and "
            "straight to aftersales; then the customer 360 (leads and aftersales in parallel) through the gateway. "
            "Whole platform from `make dev`'s launcher on this machine beside the client.",
            "",
            "| call | p50 ms | p99 ms | n |",
            "|---|---|---|---|",
            row("through the gateway", through),
            row("straight to aftersales (baseline)", direct),
            row("customer 360 through the gateway", c360),
            "",
            f"Gateway / direct at p50: {ratio:.2f}x (target at most 1.3x: {'met' if ratio <= 1.3 else 'NOT met'}).",
        ]
    )
    write_section("Gateway overhead and customer 360 (issue: gateway)", body)
    print(body)


if __name__ == "__main__":
    main()
