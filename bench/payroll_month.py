"""A month of payroll: 1,000 employees and 50,000 delivery events computed into payslips by the
plan evaluator (seed-2008-sales), next to one SQL query summing the same per-car commissions.

Run: ``make bench BENCH=payroll_month`` (``BENCH_EMPLOYEES``, ``BENCH_EVENTS`` change the size).
"""

import os
import time
from decimal import Decimal

from payroll.main import SPEC
from payroll.runs import service as runs
from payroll.settings import Settings
from servicekit.app import build_kit
from sqlalchemy import text

from bench.results import analyze, machine, on_fresh_database, run_script, write_section

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "1000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "50000"))
MONTH = "2026-11"

SEED = """
INSERT INTO employees (employee_no, name, role, hired_on, base_wage, created_by)
SELECT 'B' || lpad(n::text, 5, '0'), '员工' || n, 'sales_consultant', date '2020-03-01', 1200, 'bench'
FROM generate_series(1, :employees) AS n;
INSERT INTO car_sales (delivery_id, delivered_event_id, vin, consultant_no, grade, channel, model, price, floor_price,
                       delivered_at, month, counted_month)
SELECT 'd' || n, 'e' || n, 'LBENCHPAY' || lpad(n::text, 8, '0'), 'B' || lpad((1 + n % :employees)::text, 5, '0'),
       CASE WHEN n % 3 = 0 THEN 'B' ELSE 'A' END, 'showroom', 'Lavida', 120000, 118000,
       timestamptz '2026-11-01 02:00+00' + (n || ' minutes')::interval, :month, :month
FROM generate_series(1, :events) AS n;
"""

BASELINE = """
SELECT coalesce(sum(CASE
    WHEN rn <= 10 THEN CASE grade WHEN 'A' THEN 200 ELSE 150 END
    WHEN rn <= 15 THEN CASE grade WHEN 'A' THEN 250 ELSE 200 END
    ELSE CASE grade WHEN 'A' THEN 300 ELSE 250 END END), 0)
FROM (SELECT grade, row_number() OVER (PARTITION BY consultant_no ORDER BY delivered_at, vin) AS rn
      FROM car_sales WHERE counted_month = :month AND cancelled_event_id IS NULL) AS ranked
"""


async def _run(url: str) -> dict[str, float]:
    settings = Settings(database_url=url, kafka_bootstrap="127.0.0.1:1", log_level="WARNING")
    kit = build_kit(SPEC, settings)
    await run_script(kit.db, SEED, {"employees": EMPLOYEES, "events": EVENTS, "month": MONTH})
    await analyze(kit.db, "employees, car_sales")
    run = await runs.create(kit, MONTH, by="bench")
    started = time.perf_counter()
    computed = await runs.act(kit, run["id"], "compute", by="bench")
    evaluator_seconds = time.perf_counter() - started
    async with kit.db.transaction() as session:
        evaluated = await session.scalar(
            text("SELECT sum(amount) FROM payslip_lines WHERE run_id = :run AND code = 'unit_commission'"),
            {"run": run["id"]},
        )
        started = time.perf_counter()
        summed = await session.scalar(text(BASELINE), {"month": MONTH})
        sql_seconds = time.perf_counter() - started
    await kit.db.dispose()
    assert Decimal(evaluated) == Decimal(summed), (evaluated, summed)
    return {
        "evaluator": evaluator_seconds,
        "sql": sql_seconds,
        "gross": float(computed["gross_total"]),
        "unit_commissions": float(summed),
    }


def main() -> None:
    figures = on_fresh_database(SPEC, _run)
    body = "\n".join(
        [
            f"Machine: {machine()}.",
            f"{EMPLOYEES:,} employees on `seed-2008-sales`, {EVENTS:,} recorded deliveries in {MONTH}. The run loads "
            "employees, cars, targets and scores, evaluates every payslip (post wage, seniority, 80/20 split, per-car "
            "tiers) and writes the lines; the baseline is one SQL query summing the same per-car commissions "
            f"(both give {figures['unit_commissions']:,.2f} CNY).",
            "",
            "| pass | seconds | events/s |",
            "|---|---|---|",
            f"| payroll run compute (evaluator, lines written) | {figures['evaluator']:.2f} "
            f"| {EVENTS / figures['evaluator']:,.0f} |",
            f"| one SQL query (sum only) | {figures['sql']:.2f} | {EVENTS / figures['sql']:,.0f} |",
            "",
            f"Target: under 5 s: {'met' if figures['evaluator'] < 5 else 'NOT met'}.",
        ]
    )
    write_section("Payroll month (issue: payroll)", body)
    print(body)


if __name__ == "__main__":
    main()
