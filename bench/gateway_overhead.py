"""The same read through the gateway, straight to the service and through a bare pass-through (the
floor: the hop without the gateway's work), and the customer 360 — p50/p99.

Where nginx is on the PATH (Debian's ``nginx-light``), the read also goes through nginx as a plain
reverse proxy with keep-alive connections to the service: not part of the platform, a reference for
what any extra hop costs on the machine when the proxy is native code rather than Python.

Run: ``make bench BENCH=gateway_overhead`` (``BENCH_READS`` sets the number of reads, default 6000).
"""

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fours_devstack.broker import free_port, wait_for_port
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
    targets: dict[str, tuple[httpx.AsyncClient, int | None]], path: str, concurrency: int
) -> dict[str, Any]:
    """Each target (a client, and the process whose CPU a read costs) in turn, round after round, the
    order rotating, so drift on the machine (the other services' loops, autovacuum) falls on all
    alike; the rounds' latencies are pooled."""
    figures: dict[str, Any] = {name: [] for name in targets}
    figures |= {"cpu_us": dict.fromkeys(targets, 0.0), "round_ratios": []}
    per_round = max(50, READS // ROUNDS)
    for client, _ in targets.values():
        await _timed(client, path, 200, concurrency)  # warm-up: connections, caches
    names = list(targets)
    for round_no in range(ROUNDS):
        this_round = {}
        for name in names[round_no % len(names) :] + names[: round_no % len(names)]:
            client, pid = targets[name]
            cpu = _cpu_seconds(pid) if pid else 0.0
            this_round[name] = await _timed(client, path, per_round, concurrency)
            figures[name] += this_round[name]
            if pid:
                figures["cpu_us"][name] += (_cpu_seconds(pid) - cpu) * 1e6 / per_round / ROUNDS
        figures["round_ratios"].append(percentile(this_round["through"], 50) / percentile(this_round["direct"], 50))
    return figures


def _spread(ratios: list[float]) -> str:
    return f"{min(ratios):.2f}–{max(ratios):.2f}x"


def _start_passthrough(upstream: str) -> tuple[subprocess.Popen[bytes], str]:
    """``bench.passthrough`` served as the gateway is (see there), in front of ``upstream``."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.passthrough:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--timeout-keep-alive",
            "65",
            "--log-level",
            "warning",
        ],
        env={**os.environ, "PASSTHROUGH_UPSTREAM": upstream},
        cwd=Path(__file__).parent.parent,
    )
    wait_for_port("127.0.0.1", port, timeout=30)
    return process, f"http://127.0.0.1:{port}"


NGINX_CONF = """
worker_processes 1; daemon off; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; client_body_temp_path {dir}; proxy_temp_path {dir};
  upstream service {{ server {upstream}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port}; keepalive_requests 1000000;
    location / {{ proxy_pass http://service; proxy_http_version 1.1; proxy_set_header Connection ""; }}
  }}
}}
"""


def _start_native(upstream: str) -> tuple[subprocess.Popen[bytes], str] | None:
    """nginx as a bare reverse proxy in front of ``upstream`` (``host:port``), or None without nginx."""
    nginx = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if nginx is None:
        return None
    folder, port = tempfile.mkdtemp(prefix="fours-bench-nginx-"), free_port()
    Path(folder, "nginx.conf").write_text(NGINX_CONF.format(dir=folder, upstream=upstream, port=port))
    process = subprocess.Popen([nginx, "-p", folder, "-c", f"{folder}/nginx.conf"])
    wait_for_port("127.0.0.1", port, timeout=10)
    return process, f"http://127.0.0.1:{port}"


async def _measure(
    platform: Platform, password: str, passthrough: tuple[int, str], native: str | None
) -> dict[str, Any]:
    gateway = platform.url_of("gateway")
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as anon:
        token = (await anon.post("/api/v1/auth/token", json={"username": "admin", "password": password})).json()
    auth = {"authorization": f"Bearer {token['access_token']}"}
    async with httpx.AsyncClient(base_url=gateway, headers=auth, timeout=30) as api:
        employee = {
            "employee_no": "BG1",
            "name": "销售",
            "role": "sales_consultant",
            "hired_on": "2020-01-01",
            "base_wage": "1200.00",
        }
        (await api.post("/api/v1/employees", json=employee)).raise_for_status()
        body = {
            "vin": "LBENCHGW000000001",
            "customer": {"name": "客户", "mobile": "13900000001"},
            "consultant_no": "BG1",
            "model": "Lavida",
            "grade": "A",
            "price": "120000.00",
            "floor_price": "118000.00",
            "channel": "showroom",
            "delivered_at": datetime.now(UTC).isoformat(),
        }
        while (response := await api.post("/api/v1/deliveries", json=body)).status_code == 422:
            await asyncio.sleep(0.2)
        customer_id = response.json()["customer_id"]
        while (await api.get(f"/api/v1/vehicles/{body['vin']}")).status_code != 200:
            await asyncio.sleep(0.1)
        path = f"/api/v1/vehicles/{body['vin']}"
        floor_pid, floor_url = passthrough
        urls = {"direct": platform.url_of("aftersales"), "floor": floor_url} | ({"native": native} if native else {})
        async with contextlib.AsyncExitStack() as stack:
            clients = {
                name: await stack.enter_async_context(httpx.AsyncClient(base_url=url, headers=auth, timeout=30))
                for name, url in urls.items()
            }
            targets = {name: (client, floor_pid if name == "floor" else None) for name, client in clients.items()}
            targets["through"] = (api, platform.processes["gateway"].pid)
            loaded = await _compare(targets, path, CONCURRENCY)
            single = await _compare(targets, path, 1)
        view = f"/api/v1/customers/{customer_id}/360"
        await _timed(api, view, 50)
        c360 = await _timed(api, view, max(200, READS // 5))
    return {"loaded": loaded, "single": single, "c360": c360}


def main() -> None:
    os.environ["GATEWAY_RATE_PER_MINUTE_USER"] = "100000000"  # measure the path, not the limiter's refusals
    platform = Platform.throwaway("fours-bench-gw-", "bench-admin-password")
    platform.start()
    helpers: list[subprocess.Popen[bytes]] = []
    try:
        passthrough, floor_url = _start_passthrough(platform.url_of("aftersales"))
        helpers.append(passthrough)
        native = _start_native(f"127.0.0.1:{platform.port_of('aftersales')}")
        if native:
            helpers.append(native[0])
        figures = asyncio.run(
            _measure(platform, "bench-admin-password", (passthrough.pid, floor_url), native and native[1])
        )
    finally:
        for helper in helpers:
            helper.terminate()
            helper.wait(10)
        platform.stop()
    loaded, single, c360 = figures["loaded"], figures["single"], figures["c360"]

    def ratio(figures: dict[str, Any], name: str) -> float:
        return percentile(figures[name], 50) / percentile(figures["direct"], 50)

    def row(name: str, values: list[float]) -> str:
        return f"| {name} | {percentile(values, 50):.2f} | {percentile(values, 99):.1f} | {len(values)} |"

    body = "\n".join(
        [
            f"Machine: {machine()}.",
            "`GET /api/v1/vehicles/{vin}` through the gateway (JWT check, rate limit raised out of the way, breaker, "
            "proxy over pooled keep-alive connections; the service checks the JWT again), straight to aftersales, and "
            "through a bare pass-through (`bench/passthrough.py`: the same server and pooled client as the gateway, "
            f"none of its work), in {ROUNDS} rotating rounds pooled ({READS} reads each), with {CONCURRENCY} "
            "concurrent clients and with one; then the customer 360 (leads, aftersales and insurance in parallel) "
            "through the gateway. Whole platform from `make dev`'s launcher on this machine beside the client "
            "(httpx), all on 2 cores.",
            "",
            "| call | p50 ms | p99 ms | n |",
            "|---|---|---|---|",
            row(f"through the gateway, {CONCURRENCY} clients", loaded["through"]),
            row(f"straight to aftersales, {CONCURRENCY} clients (baseline)", loaded["direct"]),
            row(f"through the bare pass-through, {CONCURRENCY} clients (the hop alone)", loaded["floor"]),
            row("through the gateway, 1 client", single["through"]),
            row("straight to aftersales, 1 client (baseline)", single["direct"]),
            row("through the bare pass-through, 1 client (the hop alone)", single["floor"]),
            *(
                row(
                    f"through nginx as a bare reverse proxy, {clients} (a native hop, for reference)", figures["native"]
                )
                for figures, clients in ((loaded, f"{CONCURRENCY} clients"), (single, "1 client"))
                if "native" in figures
            ),
            row("customer 360 through the gateway", c360),
            "",
            f"CPU per read: the gateway {loaded['cpu_us']['through']:.0f} µs ({CONCURRENCY} clients), "
            f"{single['cpu_us']['through']:.0f} µs (1 client); the bare pass-through {loaded['cpu_us']['floor']:.0f} "
            f"and {single['cpu_us']['floor']:.0f} µs. The gateway / direct ratio of single rounds ranged "
            f"{_spread(loaded['round_ratios'])} with {CONCURRENCY} clients and {_spread(single['round_ratios'])} "
            "with one.",
            "",
            f"Gateway / direct at p50: {ratio(loaded, 'through'):.3f}x with {CONCURRENCY} clients (target at most "
            f"1.3x: {'met' if ratio(loaded, 'through') <= 1.3 else 'NOT met'}); {ratio(single, 'through'):.2f}x with "
            f"one client. The hop alone (bare pass-through / direct): {ratio(loaded, 'floor'):.2f}x and "
            f"{ratio(single, 'floor'):.2f}x."
            + (
                f" A native hop (nginx / direct): {ratio(loaded, 'native'):.2f}x and {ratio(single, 'native'):.2f}x."
                if "native" in loaded
                else " (nginx was not on this machine: no native hop measured.)"
            ),
        ]
    )
    write_section("Gateway overhead and customer 360 (issue: gateway)", body)
    print(body)


if __name__ == "__main__":
    main()
