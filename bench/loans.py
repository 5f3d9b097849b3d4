"""A month of a busy store's F&I office (FIN-1..6), in two parts.

1. On a `make dev` platform of its own, through the gateway: 1,000 loan applications opened with
   ``POST /api/v1/loan-applications`` (for orders the insurance service knows, seeded as its read
   copy), then paid out (their accounts and 36-month schedules written straight into the database),
   and the lenders' repayment statements for a year, 12,000 lines in 12 batches of 1,000, pushed
   with an API key to ``POST /api/v1/integrations/loan-repayments:batch`` — batch p50 / max and
   lines per second, beside a ``COPY`` of the same rows into a table shaped like ``loan_repayments``.
2. The overdue list ``GET /api/v1/loans/overdue`` at 100,000 paid-out loans (3.6 million instalments,
   about 1 in 20 loans behind) through the insurance service's HTTP API in process, beside the same
   SQL run directly: the finance manager's first page, level 1 only, and a specialist's own.

Run: ``make bench BENCH=loans`` (``BENCH_LOANS`` sets part 2's loans, default 100,000).
"""

import asyncio
import os
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
from fours_devstack.launcher import Platform
from fours_devstack.postgres import database_url
from insurance.loans import rules as loan_rules
from insurance.main import SPEC
from servicekit.calendar import today
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

APPLICATIONS = 1000
MONTHS = 12
LOANS = int(os.environ.get("BENCH_LOANS", "100000"))
SPECIALISTS = 10
CALLS = 30
LENDER = "ICBC"


def _raw(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _seed_orders(url: str) -> None:
    conn = await asyncpg.connect(_raw(url))
    try:
        await conn.execute(
            """INSERT INTO loan_orders (order_id, customer_id, customer_name, customer_mobile, consultant_no,
                                        vin, model, price, placed_at)
               SELECT 'ord-' || n, 'cust-' || n, '客户' || n, '139' || lpad(n::text, 8, '0'), 'S001',
                      'LBENCHLOAN' || lpad(n::text, 7, '0'), 'Lavida', 120000, now()
               FROM generate_series(1, $1) AS n""",
            APPLICATIONS,
        )
    finally:
        await conn.close()


def _schedule_rows(application_id: str, first_due: date) -> list[tuple[Any, ...]]:
    plan = loan_rules.schedule(Decimal("60000.00"), Decimal("0.048"), 36, first_due)
    return [
        (application_id, i.number, i.due_on, i.payment, i.principal, i.interest, i.balance_after, Decimal(0), None)
        for i in plan
    ]


async def _pay_out(url: str, ids: list[str], first_due: date) -> None:
    """The applications paid out: their accounts and schedules, as the payout would write them."""
    conn = await asyncpg.connect(_raw(url))
    try:
        await conn.copy_records_to_table(
            "loan_accounts",
            records=[
                (
                    a,
                    LENDER,
                    LENDER.lower(),
                    f"C{n:06d}",
                    f"cust-{n}",
                    None,
                    None,
                    None,
                    False,
                    Decimal("60000.00"),
                    Decimal("0.048"),
                    36,
                    first_due,
                )
                for n, a in enumerate(ids)
            ],
            columns=[
                "application_id",
                "lender",
                "lender_key",
                "contract_no",
                "customer_id",
                "order_id",
                "vin",
                "specialist_no",
                "watch",
                "principal",
                "annual_rate",
                "term_months",
                "first_due_on",
            ],
        )
        rows = [row for a in ids for row in _schedule_rows(a, first_due)]
        await conn.copy_records_to_table(
            "loan_instalments",
            records=rows,
            columns=[
                "application_id",
                "number",
                "due_on",
                "payment",
                "principal",
                "interest",
                "balance_after",
                "paid_amount",
                "paid_on",
            ],
        )
    finally:
        await conn.close()


async def _gateway_part(platform: Platform, password: str) -> dict[str, Any]:
    gateway = platform.url_of("gateway")
    url = database_url(platform.postgres_url, "insurance")
    await _seed_orders(url)
    async with httpx.AsyncClient(base_url=gateway, timeout=120) as anon:
        token = (await anon.post("/api/v1/auth/token", json={"username": "admin", "password": password})).json()
        auth = {"authorization": f"Bearer {token['access_token']}"}
        created = await anon.post(
            "/api/v1/api-keys",
            headers=auth,
            json={"name": "bench", "partner": LENDER.lower(), "scopes": ["loans:repay"]},
        )
        key = created.json()["key"]
    opened: list[float] = []
    ids: list[str] = []
    async with httpx.AsyncClient(base_url=gateway, headers=auth, timeout=60) as office:
        for n in range(1, APPLICATIONS + 1):
            body = {
                "order_id": f"ord-{n}",
                "lender": LENDER,
                "amount": "60000.00",
                "down_payment": "60000.00",
                "term_months": 36,
                "annual_rate": "0.048",
                "handling_fee": "3500.00",
            }
            started = time.perf_counter()
            response = await office.post("/api/v1/loan-applications", json=body)
            opened.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 201, response.text[:300]
            ids.append(response.json()["id"])
    first_due = today() - timedelta(days=370)
    await _pay_out(url, ids, first_due)
    plan = _schedule_rows("x", first_due)
    batches = [
        [
            {
                "contract_no": f"C{n:06d}",
                "instalment": month,
                "amount": str(plan[month - 1][3]),
                "paid_on": plan[month - 1][2].isoformat(),
            }
            for n in range(APPLICATIONS)
        ]
        for month in range(1, MONTHS + 1)
    ]
    seconds: list[float] = []
    async with httpx.AsyncClient(base_url=gateway, headers={"X-API-Key": key}, timeout=120) as lender:
        started_all = time.perf_counter()
        for batch in batches:
            started = time.perf_counter()
            response = await lender.post("/api/v1/integrations/loan-repayments:batch", json={"items": batch})
            seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text[:300]
            assert {r["status"] for r in response.json()["results"]} == {"recorded"}, response.text[:300]
        total = time.perf_counter() - started_all
    copy_seconds = await _copy(url, batches)
    return {"opened": opened, "batches": seconds, "total": total, "copy": copy_seconds}


async def _copy(url: str, batches: list[list[dict[str, Any]]]) -> float:
    conn = await asyncpg.connect(_raw(url))
    try:
        await conn.execute("CREATE TABLE bench_repayments (LIKE loan_repayments INCLUDING ALL)")
        rows = [
            (
                f"app-{line['contract_no']}",
                line["instalment"],
                Decimal(line["amount"]),
                date.fromisoformat(line["paid_on"]),
                "icbc",
            )
            for batch in batches
            for line in batch
        ]
        started = time.perf_counter()
        await conn.copy_records_to_table(
            "bench_repayments", records=rows, columns=["application_id", "number", "amount", "paid_on", "partner"]
        )
        elapsed = time.perf_counter() - started
        await conn.execute("DROP TABLE bench_repayments")
        return elapsed
    finally:
        await conn.close()


SEED = """
INSERT INTO loan_accounts (application_id, lender, lender_key, contract_no, customer_id, specialist_no, watch,
                           principal, annual_rate, term_months, first_due_on)
SELECT 'la-' || n, 'ICBC', 'icbc', 'C' || n, 'cust-' || n, 'F' || lpad((1 + n % :specialists)::text, 2, '0'),
       n % 10 = 0, 60000, 0.048, 36, CAST(:today AS date) - n % 1095
FROM generate_series(1, :loans) AS n;
INSERT INTO loan_instalments (application_id, number, due_on, payment, principal, interest, balance_after,
                              paid_amount, paid_on)
SELECT a.application_id, k, (a.first_due_on + ((k - 1) || ' months')::interval)::date, 1791.78, 1551.78, 240, 0,
       CASE WHEN a.first_due_on + ((k - 1) || ' months')::interval >= CAST(:today AS date) THEN 0
            WHEN substr(a.application_id, 4)::int % 20 = 0 AND k > 30 - substr(a.application_id, 4)::int % 30
            THEN 0 ELSE 1791.78 END,
       CASE WHEN a.first_due_on + ((k - 1) || ' months')::interval >= CAST(:today AS date) THEN NULL
            WHEN substr(a.application_id, 4)::int % 20 = 0 AND k > 30 - substr(a.application_id, 4)::int % 30
            THEN NULL ELSE (a.first_due_on + ((k - 1) || ' months')::interval)::date END
FROM loan_accounts a, generate_series(1, 36) AS k
"""

OVERDUE_SQL = """
SELECT i.application_id, i.number, i.due_on, i.payment, i.paid_amount, CAST(:today AS date) - i.due_on AS days
FROM loan_instalments i JOIN loan_accounts a ON a.application_id = i.application_id
WHERE i.paid_on IS NULL AND i.due_on < CAST(:today AS date) {where}
ORDER BY i.due_on, i.application_id, i.number LIMIT 51
"""


async def _overdue_part(url: str) -> dict[str, Any]:
    db = Database(url)
    started = time.perf_counter()
    await run_script(db, SEED, {"loans": LOANS, "specialists": SPECIALISTS, "today": today()})
    await analyze(db, "loan_accounts, loan_instalments")
    seed_seconds = time.perf_counter() - started
    async with db.transaction() as session:
        overdue = await session.scalar(
            text("SELECT count(*) FROM loan_instalments WHERE paid_on IS NULL AND due_on < CAST(:today AS date)"),
            {"today": today()},
        )
        instalments = await session.scalar(text("SELECT count(*) FROM loan_instalments"))
    service = InProcess("insurance", url)
    manager = service.headers("finance_manager", employee_no="FM1")
    specialist = service.headers("finance_specialist", employee_no="F03")
    cases = {
        "the manager's first page": (manager, {"limit": 50}, ""),
        "level 1 (30+ days)": (
            manager,
            {"limit": 50, "level": 1},
            "AND CAST(:today AS date) - i.due_on BETWEEN 30 AND 59",
        ),
        "a specialist's own": (specialist, {"limit": 50}, "AND a.specialist_no = 'F03'"),
    }
    results: dict[str, tuple[list[float], list[float]]] = {}
    async with service.client() as api:
        for label, (headers, params, where) in cases.items():

            async def call(_: int, headers: dict[str, str] = headers, params: dict[str, Any] = params) -> None:
                response = await api.get("/api/v1/loans/overdue", params=params, headers=headers)
                assert response.status_code == 200, response.text[:300]

            async def sql(_: int, where: str = where) -> None:
                async with db.transaction() as session:
                    (await session.execute(text(OVERDUE_SQL.format(where=where)), {"today": today()})).all()

            results[label] = (await timed(CALLS, call, warm_up=True), await timed(CALLS, sql, warm_up=True))
    await db.dispose()
    return {"seed": seed_seconds, "results": results, "overdue": overdue, "instalments": instalments}


def main() -> None:
    password = "bench-admin-password"
    os.environ["GATEWAY_RATE_PER_MINUTE_USER"] = "100000000"
    os.environ["GATEWAY_RATE_PER_MINUTE_KEY"] = "100000000"  # measure the path, not the limiter's refusals
    platform = Platform.throwaway("fours-bench-loans-", password)
    platform.start()
    try:
        pushed = asyncio.run(_gateway_part(platform, password))
    finally:
        platform.stop()
    listed = on_fresh_database(SPEC, _overdue_part)
    items = APPLICATIONS * MONTHS
    ordered = sorted(pushed["batches"])
    opened = pushed["opened"]
    body = "\n".join(
        [
            f"Machine: {machine()}.",
            "",
            f"**A month of a busy store, through the gateway** (`make dev` platform of its own): {APPLICATIONS:,} "
            "applications opened one by one (each: the order looked up, the lender's checklist copied, the "
            "specialist chosen, *loan applied* in the outbox), then paid out; a year of the lender's repayment "
            f"statements, {items:,} lines in {MONTHS} batches of {APPLICATIONS:,} (each line: the contract and "
            "instalment looked up, checked, recorded, the instalment updated, its open tasks closed); the "
            "baseline is `COPY` of the same rows into a table shaped like `loan_repayments`.",
            "",
            "| path | seconds | lines/s | batch p50 s | batch max s |",
            "|---|---|---|---|---|",
            f"| repayment batches through the gateway | {pushed['total']:.1f} | {items / pushed['total']:,.0f} "
            f"| {ordered[len(ordered) // 2]:.2f} | {ordered[-1]:.2f} |",
            f"| raw COPY (baseline) | {pushed['copy']:.2f} | {items / pushed['copy']:,.0f} | | |",
            "",
            f"Opening an application: p50 {percentile(opened, 50):.1f} ms, p95 {percentile(opened, 95):.1f} ms.",
            "",
            f"**The overdue list at {LOANS:,} loans** (FIN-6), in process, {CALLS} calls each, ms. "
            + generated(listed["seed"], {"instalments": listed["instalments"], "of them overdue": listed["overdue"]}),
            "",
            *beside_sql(listed["results"]),
        ]
    )
    write_section("Car loans: applications, repayment batches and the overdue list (issue #21)", body)
    print(body)


if __name__ == "__main__":
    main()
