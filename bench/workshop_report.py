"""The workshop's numbers at the size of a big store's year: 200,000 repair orders (600,000 lines),
their follow-up calls with scores and 20,000 warranty claims with the manufacturer's answers,
generated in the aftersales database. ``GET /api/v1/reports/aftersales?month=`` (KPI-1..3, with the
claims' CLM-3 figures) and ``GET /api/v1/reports/aftersales/daily?day=`` (KPI-4) through the
service's HTTP API in process (routing, auth, validation, JSON), each beside the same SQL run
directly.

Run: ``make bench BENCH=workshop_report`` (``BENCH_REPAIR_ORDERS`` changes the size).
"""

import os
import time
from datetime import date, datetime, timedelta
from typing import Any

from aftersales.main import SPEC
from servicekit.calendar import SHANGHAI, midnight, month_span
from servicekit.db import Database
from sqlalchemy import text

from bench.results import (
    InProcess,
    analyze,
    beside_sql,
    generated,
    machine,
    on_fresh_database,
    run_script,
    timed,
    write_section,
)

ORDERS = int(os.environ.get("BENCH_REPAIR_ORDERS", "200000"))
ADVISORS = 20
CALLS = 30

SEED = """
INSERT INTO staff_directory (employee_no, name, role, team, hired_on, event_time)
SELECT 'A' || lpad(n::text, 3, '0'), '顾问' || n, 'service_advisor', 'service-1', date '2020-01-01', now()
FROM generate_series(1, :advisors) AS n;
INSERT INTO repair_orders (id, vin, advisor_no, type, mileage_km, concerns, state, opened_at, handed_over_at,
                           created_by)
SELECT 'ro-' || n, 'LBENCH' || lpad(n::text, 11, '0'), 'A' || lpad((1 + n % :advisors)::text, 3, '0'),
       (ARRAY['maintenance','maintenance','maintenance','maintenance','maintenance','maintenance',
              'repair','repair','warranty','accident'])[1 + n % 10],
       10000 + n, 'bench', CASE WHEN n % 20 = 0 THEN 'in_progress' ELSE 'handed_over' END,
       now() - ((n % 365) || ' days')::interval - ((n % 600) || ' minutes')::interval,
       CASE WHEN n % 20 = 0 THEN NULL
            ELSE now() - ((n % 365) || ' days')::interval - ((n % 600) || ' minutes')::interval + interval '6 hours'
       END,
       'bench'
FROM generate_series(1, :orders) AS n;
INSERT INTO repair_order_lines (id, repair_order_id, kind, part_no, description, quantity, unit_price, unit_cost,
                                amount, created_by)
SELECT 'rol-' || n || '-' || k, 'ro-' || n, (ARRAY['labour','part','product'])[k], NULL, 'bench',
       CASE k WHEN 1 THEN 1.5 WHEN 2 THEN 1 + n % 3 ELSE 4 END,
       CASE k WHEN 1 THEN 180 WHEN 2 THEN 85.5 + n % 200 ELSE 45 END,
       CASE k WHEN 1 THEN NULL WHEN 2 THEN 57.5 + n % 150 ELSE 30 END,
       CASE k WHEN 1 THEN 270 WHEN 2 THEN (1 + n % 3) * (85.5 + n % 200) ELSE 180 END,
       'bench'
FROM generate_series(1, :orders) AS n, generate_series(1, 3) AS k;
INSERT INTO follow_ups (id, kind, vin, source_id, source_event_id, handed_over_at, due_date, status, attempts,
                        scores, called_at)
SELECT 'fu-' || n, 'service', 'LBENCH' || lpad(n::text, 11, '0'), 'ro-' || n, 'ev-' || n, r.handed_over_at,
       (r.handed_over_at + interval '3 days')::date,
       CASE WHEN n % 3 = 0 THEN 'open' ELSE 'done' END, 1,
       CASE WHEN n % 3 = 0 THEN NULL ELSE jsonb_build_object(
         'reception', 7 + n % 4, 'explanation', 8 + n % 3, 'waiting_time', 7 + n % 4, 'repair_quality', 9,
         'done_right_first_time', 8 + n % 3, 'cleanliness', 9, 'price_clarity', 8, 'on_time', 9,
         'attitude', 10, 'overall', 8 + n % 3) END,
       CASE WHEN n % 3 = 0 THEN NULL ELSE r.handed_over_at + interval '2 days' END
FROM generate_series(1, :orders) AS n JOIN repair_orders AS r ON r.id = 'ro-' || n
WHERE r.handed_over_at IS NOT NULL;
INSERT INTO warranty_claims (id, repair_order_id, vin, fault_code, description, state, repaired_on, due_on,
                             submissions, first_submitted_on, claimed_amount, clerk_no)
SELECT 'wc-' || n, 'ro-' || n, r.vin, 'P0301', 'bench', CASE WHEN n % 50 = 8 THEN 'rejected' ELSE 'accepted' END,
       r.opened_at::date, r.opened_at::date + 30, 1, r.opened_at::date + 5, 600, 'W' || (n % 3)
FROM generate_series(8, :orders, 10) AS n JOIN repair_orders AS r ON r.id = 'ro-' || n;
INSERT INTO warranty_claim_answers (claim_id, submission, outcome, amount, answered_at, recorded_by)
SELECT c.id, 1, c.state, 600, c.first_submitted_on + 10, 'oem:bench' FROM warranty_claims AS c;
"""
TABLES = "staff_directory, repair_orders, repair_order_lines, follow_ups, warranty_claims, warranty_claim_answers"

SQL_MONTH = """
SELECT advisor_no, count(*) FROM repair_orders WHERE opened_at >= :start AND opened_at < :end GROUP BY advisor_no;
SELECT r.advisor_no, r.type, l.kind, sum(l.amount), sum(l.quantity * coalesce(l.unit_cost, 0)), sum(l.quantity)
  FROM repair_order_lines l JOIN repair_orders r ON r.id = l.repair_order_id
  WHERE r.handed_over_at >= :start AND r.handed_over_at < :end GROUP BY r.advisor_no, r.type, l.kind;
SELECT date_trunc('month', timezone('Asia/Shanghai', r.handed_over_at)), r.type, sum(l.amount)
  FROM repair_order_lines l JOIN repair_orders r ON r.id = l.repair_order_id
  WHERE r.handed_over_at >= :year_start AND r.handed_over_at < :end GROUP BY 1, 2;
SELECT scores FROM follow_ups WHERE kind = 'service' AND status = 'done'
  AND handed_over_at >= :start AND handed_over_at < :end;
SELECT * FROM workshop_targets WHERE year = :year;
SELECT a.claim_id, a.submission, a.outcome, a.amount, c.clerk_no FROM warranty_claim_answers a
  JOIN warranty_claims c ON c.id = a.claim_id WHERE a.answered_at >= :start AND a.answered_at < :end;
SELECT clerk_no, count(*), sum(claimed_amount), count(*) FILTER (WHERE first_submitted_on > due_on)
  FROM warranty_claims WHERE first_submitted_on >= :first AND first_submitted_on < :following GROUP BY clerk_no
"""
SQL_DAY = """
SELECT advisor_no, type, count(*) FROM repair_orders WHERE opened_at >= :yesterday AND opened_at < :day
  GROUP BY advisor_no, type;
SELECT state, date(timezone('Asia/Shanghai', opened_at)), count(*) FROM repair_orders
  WHERE state IN ('open', 'in_progress', 'quality_check', 'ready') AND opened_at < :tomorrow GROUP BY 1, 2;
SELECT r.id, array_agg(DISTINCT d.part_no) FROM repair_orders r JOIN part_demands d
  ON d.source_kind = 'repair_order' AND d.source_id = r.id
  WHERE d.state = 'waiting_parts' AND r.state IN ('open', 'in_progress', 'quality_check', 'ready') GROUP BY r.id;
SELECT * FROM appointments WHERE starts_at >= :day AND starts_at < :tomorrow ORDER BY starts_at, id
"""


async def _sql(db: Database, script: str, params: dict[str, Any]) -> None:
    async with db.transaction() as session:
        for statement in script.split(";"):
            if statement.strip():
                (await session.execute(text(statement), params)).all()


async def _run(url: str) -> dict[str, Any]:
    db = Database(url, pool_size=4)
    started = time.perf_counter()
    await run_script(db, SEED, {"orders": ORDERS, "advisors": ADVISORS})
    await analyze(db, TABLES)
    seeded = time.perf_counter() - started
    print(f"seeded in {seeded:.0f} s", flush=True)
    async with db.transaction() as session:
        counts = {t: await session.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES.split(", ")}
    today = datetime.now(SHANGHAI).date()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    first, following = month_span(last_month)
    month_params = {
        "start": midnight(first),
        "end": midnight(following),
        "year_start": midnight(date(first.year, 1, 1)),
        "year": first.year,
        "first": first,
        "following": following,
    }
    day = today - timedelta(days=3)
    day_params = {
        "yesterday": midnight(day - timedelta(days=1)),
        "day": midnight(day),
        "tomorrow": midnight(day + timedelta(days=1)),
    }
    service = InProcess("aftersales", url)
    headers = service.headers("service_manager", employee_no="M001")
    results: dict[str, tuple[list[float], list[float]]] = {}
    async with service.client() as api:

        async def get(path: str, params: dict[str, str]) -> None:
            response = await api.get(path, params=params, headers=headers)
            assert response.status_code == 200, response.text

        for label, path, params, script, sql_params in (
            (
                f"GET /api/v1/reports/aftersales?month={last_month}",
                "/api/v1/reports/aftersales",
                {"month": last_month},
                SQL_MONTH,
                month_params,
            ),
            (
                f"GET /api/v1/reports/aftersales/daily?day={day}",
                "/api/v1/reports/aftersales/daily",
                {"day": day.isoformat()},
                SQL_DAY,
                day_params,
            ),
        ):

            async def through_api(_: int, path: str = path, params: dict[str, str] = params) -> None:
                await get(path, params)

            async def baseline(_: int, script: str = script, sql_params: dict[str, Any] = sql_params) -> None:
                await _sql(db, script, sql_params)

            results[label] = (await timed(CALLS, through_api, warm_up=True), await timed(CALLS, baseline, warm_up=True))
    await db.dispose()
    return {"seconds_to_seed": seeded, "rows": counts, "results": results}


def main() -> None:
    figures = on_fresh_database(SPEC, _run)
    rows = figures["rows"]
    lines = [
        f"Machine: {machine()}.",
        generated(figures["seconds_to_seed"], rows),
        "Through the aftersales service's HTTP API in process (httpx ASGI transport: routing, JWT, validation, "
        f"JSON), without broker or relay; {CALLS} sequential calls each after one untimed; the SQL column runs the "
        "same statements directly on one connection.",
        "",
        *beside_sql(figures["results"]),
    ]
    body = "\n".join(lines) + "\n"
    write_section("Workshop numbers at 200,000 repair orders (issue: warranty and insurance claims)", body)
    print(body)


if __name__ == "__main__":
    main()
