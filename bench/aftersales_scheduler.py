"""The aftersales scheduler's morning pass: N cars whose maintenance reminder is due today, each a
due job that creates its reminder (AS-5), claimed in batches with SKIP LOCKED — next to one
set-based SQL statement producing the same reminders as the baseline.

Run: ``make bench`` (``BENCH_VEHICLES`` sets N, default 500,000).
"""

import os
import time

from aftersales.main import SPEC
from aftersales.reminders import service as reminders
from servicekit.db import Database
from servicekit.scheduler import Scheduler
from sqlalchemy import text

from bench.results import analyze, machine, on_fresh_database, run_script, write_section

VEHICLES = int(os.environ.get("BENCH_VEHICLES", "500000"))
BATCH = 500
TABLES = "vehicles, due_jobs, maintenance_reminders"

SEED = """
INSERT INTO vehicles (vin, model, owner_name, owner_mobile, origin, sold_status, delivered_at)
SELECT 'LBENCH' || lpad(n::text, 11, '0'), 'Lavida', '客户' || n, '139' || lpad(n::text, 8, '0'), 'delivery', 'sold',
       now() - interval '180 days'
FROM generate_series(1, :n) AS n;
INSERT INTO due_jobs (kind, key, due_at, payload)
SELECT 'maintenance.remind', v.vin || chr(58) || '2026-12-09' || chr(58) || 'before', now() - interval '1 minute',
       jsonb_build_object('vin', v.vin, 'due_date', '2026-12-09', 'kind', 'before', 'remind_on', '2026-11-25')
FROM vehicles v;
"""

RESET = """
TRUNCATE maintenance_reminders;
UPDATE due_jobs SET status = 'pending', done_at = NULL, attempts = 0 WHERE kind = 'maintenance.remind';
"""

SET_BASED = """
WITH claimed AS (
    UPDATE due_jobs j SET status = 'done', done_at = now(), attempts = attempts + 1
    FROM vehicles v
    WHERE j.kind = 'maintenance.remind' AND j.status = 'pending' AND j.due_at <= now()
      AND v.vin = j.payload->>'vin' AND v.sold_status <> 'sale_cancelled'
    RETURNING j.payload
)
INSERT INTO maintenance_reminders (id, vin, due_date, kind, remind_on)
SELECT gen_random_uuid()::text, payload->>'vin', (payload->>'due_date')::date, payload->>'kind',
       (payload->>'remind_on')::date
FROM claimed
ON CONFLICT ON CONSTRAINT maintenance_reminders_once DO NOTHING
"""


async def _run(url: str) -> dict[str, float]:
    db = Database(url, pool_size=4)
    await run_script(db, SEED, {"n": VEHICLES})
    await analyze(db, TABLES)

    scheduler = Scheduler(db, {reminders.JOB: reminders.remind}, batch=BATCH)
    started = time.perf_counter()
    while await scheduler.run_due():
        pass
    kit_seconds = time.perf_counter() - started
    kit_rows = await _count(db)

    await run_script(db, RESET, {})
    await analyze(db, TABLES)
    started = time.perf_counter()
    async with db.transaction() as session:
        await session.execute(text(SET_BASED))
    sql_seconds = time.perf_counter() - started
    sql_rows = await _count(db)
    await db.dispose()
    return {"kit_seconds": kit_seconds, "kit_rows": kit_rows, "sql_seconds": sql_seconds, "sql_rows": sql_rows}


async def _count(db: Database) -> float:
    async with db.transaction() as session:
        return float(await session.scalar(text("SELECT count(*) FROM maintenance_reminders")) or 0)


def main() -> None:
    figures = on_fresh_database(SPEC, _run)
    kit_rate = figures["kit_rows"] / figures["kit_seconds"]
    sql_rate = figures["sql_rows"] / figures["sql_seconds"]
    body = "\n".join(
        [
            f"Machine: {machine()}.",
            f"{VEHICLES:,} cars whose `before` maintenance reminder is due this morning, one due job each; the "
            f"scheduler claims {BATCH} jobs per transaction (`FOR UPDATE SKIP LOCKED`) and runs the reminder job "
            "of `aftersales.reminders` for each (check the car, insert the reminder, mark the job done, one "
            "savepoint per job); the baseline is one set-based SQL statement producing the same reminders.",
            "",
            "| pass | reminders | seconds | rows/s |",
            "|---|---|---|---|",
            f"| scheduler (per-job handler) | {figures['kit_rows']:,.0f} | {figures['kit_seconds']:.1f} "
            f"| {kit_rate:,.0f} |",
            f"| one set-based SQL statement | {figures['sql_rows']:,.0f} | {figures['sql_seconds']:.1f} "
            f"| {sql_rate:,.0f} |",
            "",
            f"The per-job path is {figures['kit_seconds'] / figures['sql_seconds']:.0f}x slower; it buys a retry and "
            "an error record per job and lets several replicas share the work.",
        ]
    )
    write_section("Aftersales scheduler pass (issue: aftersales)", body)
    print(body)


if __name__ == "__main__":
    main()
