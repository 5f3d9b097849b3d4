"""Insurers push their policies: N policies in batches of 1,000 through the gateway (API key, rate
limit, audit, routing) into the insurance service (validation, idempotency by insurer + number,
renewal planning, outbox) on the `make dev` platform — next to a raw ``COPY`` of the same rows into a
table shaped like ``policies`` as the baseline.

Run: ``make bench BENCH=insurance_intake`` (``BENCH_POLICIES`` sets N, default 100,000).
Target (issue: insurance): the 100,000 in under 60 s.
"""

import asyncio
import os
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
from fours_devstack.launcher import Platform
from fours_devstack.postgres import database_url

from bench.results import machine, write_section

POLICIES = int(os.environ.get("BENCH_POLICIES", "100000"))
BATCH = 1000
CONCURRENCY = 2


def _item(n: int) -> dict[str, Any]:
    start = date(2026, 1, 1) + timedelta(days=n % 330)
    return {
        "insurer": "PICC",
        "policy_no": f"PB{n:09d}",
        "vin": f"LBENCHPLC{n:08d}",
        "holder": {"name": "客户", "mobile": f"139{n:08d}"},
        "coverages": [{"code": "compulsory", "premium": "950.00"}, {"code": "third_party", "premium": "1200.00"}],
        "premium": "2150.00",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=364)).isoformat(),
        "kind": "renewal",
        "commission_rate": "0.1500",
    }


async def _push(platform: Platform, password: str) -> dict[str, Any]:
    gateway = platform.url_of("gateway")
    async with httpx.AsyncClient(base_url=gateway, timeout=120) as anon:
        token = (await anon.post("/api/v1/auth/token", json={"username": "admin", "password": password})).json()
        auth = {"authorization": f"Bearer {token['access_token']}"}
        created = await anon.post(
            "/api/v1/api-keys", headers=auth, json={"name": "bench", "partner": "picc", "scopes": ["insurance:push"]}
        )
        key = created.json()["key"]
    batches = [[_item(n) for n in range(b, min(b + BATCH, POLICIES))] for b in range(0, POLICIES, BATCH)]
    seconds: list[float] = []
    queue = iter(batches)
    async with httpx.AsyncClient(base_url=gateway, headers={"X-API-Key": key}, timeout=120) as partner:
        await partner.post("/api/v1/integrations/policies:batch", json={"items": [_item(POLICIES + 1)]})  # warm-up

        async def worker() -> None:
            for batch in queue:
                started = time.perf_counter()
                response = await partner.post("/api/v1/integrations/policies:batch", json={"items": batch})
                seconds.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text[:500]
                assert {r["status"] for r in response.json()["results"]} == {"created"}, response.text[:500]

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        total = time.perf_counter() - started
    return {"total": total, "batches": seconds}


async def _copy(url: str) -> float:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("CREATE TABLE bench_policies (LIKE policies INCLUDING ALL)")
        rows = []
        for n in range(POLICIES):
            item = _item(n)
            rows.append(
                (
                    str(uuid.uuid4()),
                    item["insurer"],
                    item["policy_no"] + "C",
                    item["vin"],
                    "客户",
                    item["holder"]["mobile"],
                    "renewal",
                    '[{"code":"compulsory","premium":"950.00"}]',
                    Decimal("2150.00"),
                    Decimal("0.1500"),
                    Decimal("322.50"),
                    date.fromisoformat(item["start_date"]),
                    date.fromisoformat(item["end_date"]),
                    "partner:picc",
                    "x",
                    1,
                )
            )
        started = time.perf_counter()
        await conn.copy_records_to_table(
            "bench_policies",
            records=rows,
            columns=[
                "id",
                "insurer",
                "policy_no",
                "vin",
                "holder_name",
                "holder_mobile",
                "kind",
                "coverages",
                "premium",
                "commission_rate",
                "commission_amount",
                "start_date",
                "end_date",
                "source",
                "content_hash",
                "version",
            ],
        )
        elapsed = time.perf_counter() - started
        await conn.execute("DROP TABLE bench_policies")
        return elapsed
    finally:
        await conn.close()


def main() -> None:
    password = "bench-admin-password"
    os.environ["GATEWAY_RATE_PER_MINUTE_KEY"] = "100000000"  # measure the path, not the limiter's refusals
    platform = Platform.throwaway("fours-bench-ins-", password)
    platform.start()
    try:
        pushed = asyncio.run(_push(platform, password))
        copy_seconds = asyncio.run(_copy(database_url(platform.postgres_url, "insurance")))
    finally:
        platform.stop()
    total = pushed["total"]
    ordered = sorted(pushed["batches"])
    body = "\n".join(
        [
            f"Machine: {machine()}.",
            f"{POLICIES:,} policies pushed as {len(pushed['batches'])} batches of {BATCH:,} ({CONCURRENCY} partner "
            "connections) through the gateway to the insurance service of `make dev` (each new policy: validated, "
            "stored, its renewal planned as due jobs, *policy recorded* in the outbox, the outbox relayed to the "
            "broker "
            "meanwhile); the baseline is `COPY` of the same rows into a table shaped like `policies`.",
            "",
            "| path | seconds | policies/s | batch p50 s | batch max s |",
            "|---|---|---|---|---|",
            f"| batch API through the gateway | {total:.1f} | {POLICIES / total:,.0f} "
            f"| {ordered[len(ordered) // 2]:.2f} | {ordered[-1]:.2f} |",
            f"| raw COPY (baseline) | {copy_seconds:.1f} | {POLICIES / copy_seconds:,.0f} | | |",
            "",
            f"Target: {POLICIES:,} in under 60 s — {'met' if total < 60 else 'NOT met'}.",
        ]
    )
    write_section("Insurance intake of pushed policies (issue: insurance)", body)
    print(body)


if __name__ == "__main__":
    main()
