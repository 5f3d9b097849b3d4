"""The attribution report (MKT-8) at a store's multi-year scale: 1,000,000 attributed leads and
100,000 deliveries across 500 campaigns (with orders and spends) in the marketing service's database;
the report for a month and for all campaigns through the service's HTTP API in process, next to the
same SQL run directly.

Run: ``make bench BENCH=marketing_attribution`` (``BENCH_LEADS``, ``BENCH_SALES``, ``BENCH_CAMPAIGNS``).
"""

import os
import time
from typing import Any

from marketing.main import SPEC
from servicekit.db import Database
from sqlalchemy import text

from bench.results import InProcess, analyze, machine, on_fresh_database, percentile, run_script, timed, write_section

LEADS = int(os.environ.get("BENCH_LEADS", "1000000"))
SALES = int(os.environ.get("BENCH_SALES", "100000"))
CAMPAIGNS = int(os.environ.get("BENCH_CAMPAIGNS", "500"))
CALLS = 50

SEED = """
INSERT INTO campaigns (id, code, name, form, month, budget, plan, created_by)
SELECT 'c' || n, 'CAMP-' || n, '活动 ' || n, 'in_store_event',
       to_char(date '2024-01-01' + ((n % 36) || ' months')::interval, 'YYYY-MM'), 20000, '{}'::jsonb, 'bench'
FROM generate_series(0, :campaigns - 1) AS n;
INSERT INTO spends (id, campaign_id, kind, amount, description, created_by)
SELECT 's' || n || '-' || k, 'c' || n, 'invoice', 1000 + k * 10, 'bench', 'bench'
FROM generate_series(0, :campaigns - 1) AS n, generate_series(1, 8) AS k;
INSERT INTO attributed_leads (lead_id, customer_id, campaign_code, channel, source, created_at)
SELECT 'l' || k, 'cu' || (k % 200000), 'CAMP-' || (k % :campaigns), 'autohome', 'website',
       timestamptz '2024-01-01' + ((k % 1000) || ' days')::interval
FROM generate_series(1, :leads) AS k;
INSERT INTO attributed_orders (order_id, customer_id, campaign_code, placed_at)
SELECT 'o' || k, 'cu' || k, 'CAMP-' || (k % :campaigns), timestamptz '2024-01-01' + ((k % 1000) || ' days')::interval
FROM generate_series(1, :sales * 12 / 10) AS k;
INSERT INTO attributed_sales
    (delivery_id, customer_id, campaign_code, channel, price, delivered_at, order_id, cancelled)
SELECT 'd' || k, 'cu' || k, 'CAMP-' || (k % :campaigns), 'autohome', 120000,
       timestamptz '2024-01-01' + ((k % 1000) || ' days')::interval, 'o' || k, CASE WHEN k % 50 = 0 THEN 'x' END
FROM generate_series(1, :sales) AS k;
"""

BASELINE = """
WITH c AS (SELECT id, code FROM campaigns WHERE (CAST(:month AS text) IS NULL OR month = :month)),
l AS (SELECT campaign_code, count(*) n FROM attributed_leads WHERE campaign_code IN (SELECT code FROM c) GROUP BY 1),
o AS (SELECT campaign_code, count(*) n FROM attributed_orders WHERE campaign_code IN (SELECT code FROM c) GROUP BY 1),
s AS (SELECT campaign_code, count(*) n, sum(price) revenue FROM attributed_sales
      WHERE campaign_code IN (SELECT code FROM c) AND cancelled IS NULL GROUP BY 1),
p AS (SELECT campaign_id, sum(amount) spend FROM spends WHERE campaign_id IN (SELECT id FROM c) GROUP BY 1)
SELECT c.code, l.n, o.n, s.n, s.revenue, p.spend FROM c LEFT JOIN l ON l.campaign_code = c.code
  LEFT JOIN o ON o.campaign_code = c.code LEFT JOIN s ON s.campaign_code = c.code LEFT JOIN p ON p.campaign_id = c.id
ORDER BY c.code
"""

TABLES = "campaigns, spends, attributed_leads, attributed_orders, attributed_sales"


async def _run(url: str) -> dict[str, Any]:
    db = Database(url, pool_size=4)
    started = time.perf_counter()
    await run_script(db, SEED, {"leads": LEADS, "sales": SALES, "campaigns": CAMPAIGNS})
    await analyze(db, TABLES)
    seeded = time.perf_counter() - started
    service = InProcess("marketing", url)
    reader = service.headers("marketing_manager", "MK1")
    results = {}
    async with service.client() as api:
        for label, month in (("one month (2025-06)", "2025-06"), (f"all {CAMPAIGNS} campaigns", None)):

            async def through_api(month: str | None = month) -> None:
                response = await api.get(
                    "/api/v1/reports/attribution", params={"month": month} if month else {}, headers=reader
                )
                assert response.status_code == 200 and response.json()["items"], response.text[:300]

            async def direct(month: str | None = month) -> None:
                async with db.transaction() as session:
                    assert (await session.execute(text(BASELINE), {"month": month})).all()

            results[label] = (
                await timed(CALLS, lambda _: through_api(), warm_up=True),
                await timed(CALLS, lambda _: direct(), warm_up=True),
            )
    await db.dispose()
    return {"seconds_to_seed": seeded, "results": results}


def main() -> None:
    figures = on_fresh_database(SPEC, _run)
    lines = [
        f"Machine: {machine()}.",
        f"Generated in {figures['seconds_to_seed']:.0f} s: {CAMPAIGNS} campaigns over 36 months with 8 spends each, "
        f"{LEADS:,} attributed leads, {SALES * 12 // 10:,} orders, {SALES:,} deliveries (2% cancelled). The report "
        "goes through the marketing service's HTTP API in process (httpx ASGI transport: routing, JWT, JSON); the "
        "baseline is one SQL statement computing the same per-campaign counts and sums. Sequential calls, ms.",
        "",
        "| report | p50 | p95 | SQL p50 | SQL p95 |",
        "|---|---|---|---|---|",
    ]
    for label, (api_ms, sql_ms) in figures["results"].items():
        lines.append(
            f"| {label} | {percentile(api_ms, 50):.1f} | {percentile(api_ms, 95):.1f} | "
            f"{percentile(sql_ms, 50):.1f} | {percentile(sql_ms, 95):.1f} |"
        )
    body = "\n".join(lines)
    write_section("Marketing attribution report (issue: marketing)", body)
    print(body)


if __name__ == "__main__":
    main()
