"""The parts department at the size of a big store: 20,000 parts and 1,000,000 movements over a year
(with the repair orders, lines and demands behind them) generated in the aftersales database.
Measured through the service's HTTP API in process (routing, auth, validation, JSON):

- reservation + issue: 8 advisors at once, each adding a line for one of 10 hot parts to an open
  repair order and handing it over (the issue), beside the same stock changes as plain SQL
  (``UPDATE parts … WHERE available``, ``INSERT`` the movement) from 8 connections; and the oversells
  afterwards, which must be 0;
- ``GET /api/v1/parts?q=`` (a part of a name) and ``GET /api/v1/reports/parts?month=``, sequential,
  each beside the same SQL run directly.

Run: ``make bench BENCH=parts_stock`` (``BENCH_PARTS``, ``BENCH_MOVEMENTS`` change the size).
"""

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aftersales.main import SPEC
from servicekit.db import Database
from sqlalchemy import text

from bench.results import (
    InProcess,
    analyze,
    beside_sql,
    generated,
    machine,
    on_fresh_database,
    percentile,
    run_script,
    timed,
    write_section,
)

PARTS = int(os.environ.get("BENCH_PARTS", "20000"))
MOVEMENTS = int(os.environ.get("BENCH_MOVEMENTS", "1000000"))
ADVISORS = 8
JOBS_PER_ADVISOR = 25
HOT = 10
HOT_STOCK = ADVISORS * JOBS_PER_ADVISOR // HOT - 2
"""A little less than 8 × 25 jobs ask for: some lines wait for parts, as on a busy day."""
CALLS = 200
REPORT_CALLS = 5

NAMES = [
    "机油滤清器",
    "空气滤清器",
    "刹车片",
    "火花塞",
    "雨刮片",
    "正时皮带",
    "减震器",
    "大灯总成",
    "轮毂轴承",
    "空调滤芯",
]

SEED = """
INSERT INTO staff_directory (employee_no, name, role, team, hired_on, event_time)
SELECT 'A' || lpad(n::text, 3, '0'), '顾问' || n, 'service_advisor', 'service-1', date '2020-01-01', now()
FROM generate_series(1, :advisors) AS n;
INSERT INTO parts (part_no, name, category, unit, price, cost, min_qty, max_qty, bin, on_hand, reserved, avg_cost,
                   on_order, last_movement_at, created_by)
SELECT 'P' || lpad(n::text, 6, '0'),
       (CAST(:names AS text[]))[1 + n % 10] || ' '
         || (ARRAY['Lavida','Tiguan L','Sagitar','Magotan','Passat'])[1 + n % 5] || ' ' || n,
       CASE WHEN n % 10 = 0 THEN 'maintenance_product' WHEN n % 10 = 1 THEN 'accessory' ELSE 'part' END,
       CASE WHEN n % 10 = 0 THEN 'bottle' ELSE 'piece' END,
       20 + n % 500, 12 + n % 300, n % 5, 5 + n % 20, 'A-' || (n % 40) || '-' || (n % 7),
       n % 30, 0, 12 + n % 300, 0, now() - ((n % 400) || ' days')::interval, 'bench'
FROM generate_series(1, :parts) AS n;
INSERT INTO part_movements (id, part_no, kind, quantity, unit_cost, on_hand_after, reserved_after, avg_cost_after,
                            source_kind, source_id, by, at)
SELECT gen_random_uuid()::text, 'P' || lpad((1 + k % :parts)::text, 6, '0'),
       (ARRAY['receipt','reservation','issue','counter_sale','receipt','reservation','issue','adjustment'])[1 + k % 8],
       1 + k % 4, 12 + k % 300, k % 30, 0, 12 + k % 300,
       (ARRAY['purchase_order','repair_order','repair_order','parts_sale','purchase_order','repair_order',
              'repair_order','stock_count'])[1 + k % 8],
       'src-' || (k / 3), 'bench', now() - ((k % 365) || ' days')::interval - ((k % 1440) || ' minutes')::interval
FROM generate_series(1, :movements) AS k;
INSERT INTO repair_orders (id, vin, advisor_no, type, mileage_km, concerns, state, opened_at, handed_over_at,
                           created_by)
SELECT 'ro-' || n, 'LBENCH' || lpad(n::text, 11, '0'), 'A' || lpad((1 + n % :advisors)::text, 3, '0'), 'repair',
       10000 + n, 'bench', 'handed_over', now() - ((n % 365) || ' days')::interval,
       now() - ((n % 365) || ' days')::interval + interval '6 hours', 'bench'
FROM generate_series(1, :movements / 10) AS n;
INSERT INTO repair_order_lines (id, repair_order_id, kind, part_no, description, quantity, unit_price, unit_cost,
                                amount, created_by, created_at)
SELECT 'rol-' || n, 'ro-' || n, CASE WHEN n % 10 = 0 THEN 'product' ELSE 'part' END,
       'P' || lpad((1 + (n * 7) % :parts)::text, 6, '0'), 'bench', 1 + n % 4, 20 + n % 500, 12 + n % 300,
       (1 + n % 4) * (20 + n % 500), 'bench', now() - ((n % 365) || ' days')::interval
FROM generate_series(1, :movements / 10) AS n;
INSERT INTO part_demands (id, part_no, source_kind, source_id, quantity, state, served_at_once, by, created_at)
SELECT 'rol-' || n, 'P' || lpad((1 + (n * 7) % :parts)::text, 6, '0'), 'repair_order', 'ro-' || n, 1 + n % 4,
       'issued', n % 9 <> 0, 'bench', now() - ((n % 365) || ' days')::interval
FROM generate_series(1, :movements / 10) AS n;
UPDATE parts SET on_hand = :hot_stock, min_qty = 0 WHERE part_no = ANY(CAST(:hot AS text[]));
INSERT INTO vehicles (vin, model, owner_name, owner_mobile, origin)
SELECT 'LJBX' || lpad(n::text, 13, '0'), 'Sagitar', '车主' || n, '139' || lpad(n::text, 8, '0'), 'walk_in'
FROM generate_series(1, :jobs) AS n;
INSERT INTO repair_orders (id, vin, advisor_no, type, mileage_km, concerns, state, opened_at, created_by)
SELECT 'job-' || n, 'LJBX' || lpad(n::text, 13, '0'), 'A' || lpad((1 + n % :advisors)::text, 3, '0'), 'repair',
       20000 + n, 'bench', 'open', now() - interval '1 hour', 'bench'
FROM generate_series(1, :jobs) AS n;
"""

TABLES = "staff_directory, parts, part_movements, repair_orders, repair_order_lines, part_demands, vehicles"

SQL_RESERVE = """
UPDATE parts SET reserved = reserved + 1, last_movement_at = now()
WHERE part_no = :part AND on_hand - reserved >= 1 RETURNING on_hand, reserved, avg_cost
"""
SQL_ISSUE = """
UPDATE parts SET on_hand = on_hand - 1, reserved = reserved - 1, last_movement_at = now()
WHERE part_no = :part RETURNING on_hand, reserved, avg_cost
"""
SQL_MOVEMENT = """
INSERT INTO part_movements (id, part_no, kind, quantity, unit_cost, on_hand_after, reserved_after, avg_cost_after,
                            source_kind, source_id, by)
VALUES (gen_random_uuid()::text, :part, :kind, 1, :cost, :on_hand, :reserved, :cost, 'repair_order', :source, 'bench')
"""
SQL_SEARCH = (
    "SELECT * FROM parts WHERE (name LIKE '%' || :q || '%' OR part_no LIKE :q || '%') ORDER BY part_no LIMIT 51"
)
SQL_REPORT = """
SELECT count(*), count(*) FILTER (WHERE served_at_once) FROM part_demands
  WHERE source_kind = 'repair_order' AND created_at >= :start AND created_at < :end;
SELECT sum(on_hand_after * avg_cost_after) FROM (SELECT DISTINCT ON (part_no) on_hand_after, avg_cost_after
  FROM part_movements WHERE at < :end ORDER BY part_no, at DESC, id DESC) AS shelf;
WITH ledger AS (SELECT at, on_hand_after * avg_cost_after AS value,
    lead(at) OVER (PARTITION BY part_no ORDER BY at, id) AS next_at FROM part_movements WHERE at < :end)
  SELECT e.end_at, sum(l.value) FROM generate_series(CAST(:year_start AS timestamptz) + interval '1 month',
    CAST(:end AS timestamptz), interval '1 month')
    AS e(end_at) LEFT JOIN ledger l ON l.at < e.end_at AND (l.next_at IS NULL OR l.next_at >= e.end_at)
  GROUP BY e.end_at;
SELECT sum(quantity * unit_cost) FROM part_movements WHERE kind IN ('issue', 'counter_sale')
  AND at >= :year_start AND at < :end;
SELECT p.category, sum(l.amount), sum(l.quantity * l.unit_cost) FROM repair_order_lines l
  JOIN repair_orders r ON r.id = l.repair_order_id JOIN parts p ON p.part_no = l.part_no
  WHERE r.handed_over_at >= :start AND r.handed_over_at < :end GROUP BY p.category;
SELECT r.advisor_no, sum(l.quantity) FROM repair_order_lines l JOIN repair_orders r ON r.id = l.repair_order_id
  WHERE l.kind = 'product' AND r.handed_over_at >= :start AND r.handed_over_at < :end GROUP BY r.advisor_no
"""
SHELF_REPEATS = 0
"""The report reads the shelf at its month end and the value at each of 12 month ends in one pass."""


async def _run(url: str) -> dict[str, Any]:
    db = Database(url, pool_size=ADVISORS + 2)
    hot = [f"P{n:06d}" for n in range(2, 100) if n % 10 > 1][:HOT]  # parts (not products or accessories)
    started = time.perf_counter()
    jobs = ADVISORS * JOBS_PER_ADVISOR
    await run_script(
        db,
        SEED,
        {
            "parts": PARTS,
            "movements": MOVEMENTS,
            "advisors": ADVISORS,
            "names": NAMES,
            "hot": hot,
            "hot_stock": HOT_STOCK,
            "jobs": jobs,
        },
    )
    await analyze(db, TABLES)
    seeded = time.perf_counter() - started
    print(f"seeded in {seeded:.0f} s", flush=True)
    async with db.transaction() as session:
        counts = {t: await session.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES.split(", ")}
    figures: dict[str, Any] = {"seconds_to_seed": seeded, "rows": counts}

    service = InProcess("aftersales", url)
    async with service.client() as api:
        # --- reservation + issue, 8 advisors at once ------------------------------------------------
        outcomes = {"issued": 0, "waited": 0}

        async def advisor(a: int) -> list[float]:
            times = []
            for j in range(JOBS_PER_ADVISOR):
                n = 1 + a + j * ADVISORS  # the orders seeded for this advisor: A00(1 + n % 8)
                order = f"job-{n}"
                headers = service.headers("service_advisor", f"A{1 + n % ADVISORS:03d}", team="service-1")
                began = time.perf_counter()
                line = {"kind": "part", "part_no": hot[n % HOT], "quantity": "1", "unit_price": "100.00"}
                added = await api.post(f"/api/v1/repair-orders/{order}/lines", json=line, headers=headers)
                assert added.status_code == 201, added.text
                if added.json()["lines"][0]["stock_state"] == "waiting_parts":
                    outcomes["waited"] += 1
                    times.append((time.perf_counter() - began) * 1000)
                    continue
                for to in ("in_progress", "quality_check", "ready"):
                    moved = await api.post(
                        f"/api/v1/repair-orders/{order}/transitions", json={"to": to}, headers=headers
                    )
                    assert moved.status_code == 200, moved.text
                handed = await api.post(
                    f"/api/v1/repair-orders/{order}/handover",
                    json={"handed_over_at": datetime.now(UTC).isoformat()},
                    headers=headers,
                )
                assert handed.status_code == 200, handed.text
                outcomes["issued"] += 1
                times.append((time.perf_counter() - began) * 1000)
            return times

        began = time.perf_counter()
        per_job = [ms for times in await asyncio.gather(*(advisor(a) for a in range(ADVISORS))) for ms in times]
        api_seconds = time.perf_counter() - began
        async with db.transaction() as session:
            oversold = await session.scalar(
                text(
                    "SELECT count(*) FROM parts WHERE part_no = ANY(:hot) AND (on_hand < 0 OR reserved > on_hand "
                    "OR :stock - on_hand <> (SELECT count(*) FROM part_movements m WHERE m.part_no = parts.part_no "
                    "AND m.kind = 'issue' AND m.source_id LIKE 'job-%'))"
                ),
                {"hot": hot, "stock": HOT_STOCK},
            )

        async def sql_worker(a: int) -> None:
            for j in range(JOBS_PER_ADVISOR):
                part = hot[(a + j) % HOT]
                async with db.transaction() as session:
                    row = (await session.execute(text(SQL_RESERVE), {"part": part})).first()
                    if row is None:
                        continue
                    await session.execute(
                        text(SQL_MOVEMENT),
                        {
                            "part": part,
                            "kind": "reservation",
                            "cost": row.avg_cost,
                            "on_hand": row.on_hand,
                            "reserved": row.reserved,
                            "source": f"sql-{a}-{j}",
                        },
                    )
                async with db.transaction() as session:
                    row = (await session.execute(text(SQL_ISSUE), {"part": part})).one()
                    await session.execute(
                        text(SQL_MOVEMENT),
                        {
                            "part": part,
                            "kind": "issue",
                            "cost": row.avg_cost,
                            "on_hand": row.on_hand,
                            "reserved": row.reserved,
                            "source": f"sql-{a}-{j}",
                        },
                    )

        async with db.transaction() as session:
            await session.execute(
                text("UPDATE parts SET on_hand = on_hand + :n WHERE part_no = ANY(:hot)"), {"n": HOT_STOCK, "hot": hot}
            )
        began = time.perf_counter()
        await asyncio.gather(*(sql_worker(a) for a in range(ADVISORS)))
        sql_seconds = time.perf_counter() - began
        figures["stock"] = {
            "jobs": jobs,
            "issued": outcomes["issued"],
            "waited": outcomes["waited"],
            "api_seconds": api_seconds,
            "per_job_ms": per_job,
            "sql_seconds": sql_seconds,
            "oversold": oversold,
        }

        # --- reads -----------------------------------------------------------------------------------
        manager = service.headers("service_manager", "M001", team="service-1")
        now = datetime.now(UTC)
        month = now.strftime("%Y-%m")
        start = datetime(now.year, now.month, 1, tzinfo=UTC)
        end = datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)
        year_start = datetime(now.year - 1, now.month, 1, tzinfo=UTC)

        async def get(path: str, params: dict[str, str]) -> None:
            response = await api.get(path, params=params, headers=manager)
            assert response.status_code == 200, response.text

        async def sql(script: str, params: dict[str, Any], repeat_shelf: int = 0) -> None:
            async with db.transaction() as session:
                for statement in script.split(";"):
                    if statement.strip():
                        (await session.execute(text(statement), params)).all()
                shelf = [s for s in script.split(";") if "DISTINCT ON" in s]
                for _ in range(repeat_shelf):
                    (await session.execute(text(shelf[0]), params)).all()

        runs: dict[str, tuple[Callable[[int], Awaitable[None]], Callable[[int], Awaitable[None]], int]] = {
            "GET /api/v1/parts?q= (a name's first 3 characters)": (
                lambda i: get("/api/v1/parts", {"q": NAMES[i % 10][:3]}),
                lambda i: sql(SQL_SEARCH, {"q": NAMES[i % 10][:3]}),
                CALLS,
            ),
            f"GET /api/v1/reports/parts?month={month}": (
                lambda i: get("/api/v1/reports/parts", {"month": month}),
                lambda i: sql(
                    SQL_REPORT, {"start": start, "end": end, "year_start": year_start}, repeat_shelf=SHELF_REPEATS
                ),
                REPORT_CALLS,
            ),
        }
        results = {}
        print("stock phase done; reads", flush=True)
        for label, (through_api, baseline, calls) in runs.items():
            await through_api(0)
            await baseline(0)
            results[label] = (await timed(calls, through_api), await timed(calls, baseline))
    await db.dispose()
    figures["results"] = results
    return figures


def main() -> None:
    figures = on_fresh_database(SPEC, _run)
    rows, stock = figures["rows"], figures["stock"]
    lines = [
        f"Machine: {machine()}.",
        generated(figures["seconds_to_seed"], rows),
        "Through the aftersales service's HTTP API in process (httpx ASGI transport: routing, JWT, validation, "
        "JSON), without broker or relay.",
        "",
        f"**Reservation + issue, {ADVISORS} advisors at once on {HOT} hot parts** ({HOT_STOCK} each on the shelf): "
        f"{stock['jobs']} jobs (add a part line, three moves, the handover) in {stock['api_seconds']:.1f} s, "
        f"{stock['jobs'] / stock['api_seconds']:.1f} jobs/s; {stock['issued']} issued, {stock['waited']} waited "
        f"for parts; per job p50 {percentile(stock['per_job_ms'], 50):.0f} ms, p95 "
        f"{percentile(stock['per_job_ms'], 95):.0f} ms. **Oversells: {stock['oversold']}.** The same stock changes "
        f"as plain SQL (reserve and issue, each with its movement, {ADVISORS} connections): "
        f"{stock['sql_seconds']:.2f} s for {stock['jobs']} reservations and issues.",
        "",
        *beside_sql(figures["results"]),
    ]
    body = "\n".join(lines)
    write_section(f"Parts stock at {PARTS:,} parts and {MOVEMENTS:,} movements (issue: spare parts)", body)
    print(body)


if __name__ == "__main__":
    main()
