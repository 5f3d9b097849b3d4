"""The sales CRM at the size of a big store's history: 1,000,000 leads of 200,000 customers (with
contacts, visits, open follow-up tasks, quotes, orders and deliveries) generated in the leads
service's database. Measured through the service's HTTP API in process (routing, auth, data scope,
validation, JSON) — customer search by mobile prefix and by name, a consultant's agenda for today,
the monthly funnel by consultant — each next to a plain SQL query returning the same rows.

Run: ``make bench BENCH=leads_crm`` (``BENCH_LEADS``, ``BENCH_CUSTOMERS`` change the size).
Targets (issue: leads): p95 under 30 ms for the searches and the agenda, under 500 ms for the funnel.
"""

import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from leads.main import SPEC
from servicekit.calendar import SHANGHAI, business_date
from servicekit.db import Database
from sqlalchemy import text

from bench.results import (
    InProcess,
    analyze,
    generated,
    machine,
    on_fresh_database,
    percentile,
    run_script,
    timed,
    write_section,
)

LEADS = int(os.environ.get("BENCH_LEADS", "1000000"))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "200000"))
CONSULTANTS = 100
CALLS = 200
FUNNEL_CALLS = 20

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏辉建华丹斌宇浩凯俊帆晨瑶琳欣怡梓涵子轩一诺雨桐"

SEED = """
INSERT INTO staff_directory (employee_no, name, role, team, hired_on, event_time)
SELECT 'S' || lpad(n::text, 3, '0'), '顾问' || n, 'sales_consultant', 'team-' || (n % 10), date '2020-01-01', now()
FROM generate_series(1, :consultants) AS n;
INSERT INTO customers (id, name, mobile, owner_no, created_by, created_at)
SELECT gen_random_uuid(),
       substr(:surnames, 1 + (n * 7) % length(:surnames), 1) || substr(:given, 1 + (n * 13) % length(:given), 1)
         || substr(:given, 1 + (n / 7) % length(:given), 1) || (n % 100),
       '13' || lpad(((n::bigint * 7919) % 1000000000)::text, 9, '0'),
       'S' || lpad((1 + n % :consultants)::text, 3, '0'), 'bench', now() - interval '2 years'
FROM generate_series(1, :customers) AS n;
CREATE TEMP TABLE c AS SELECT row_number() OVER (ORDER BY id) AS n, id, owner_no FROM customers;
CREATE INDEX ON c (n);
INSERT INTO leads (id, customer_id, source, channel, campaign_code, model, owner_no, state, lost_reason, lost_at,
                   next_follow_up, created_by, created_at, updated_at)
SELECT gen_random_uuid()::text, c.id::text,
       (ARRAY['showroom','phone','website','auto_portal','campaign_event','referral'])[1 + k % 6],
       NULL, 'CAMP-' || (k % 500),
       (ARRAY['Lavida','Tiguan L','Sagitar','Magotan','Passat'])[1 + k % 5], c.owner_no,
       (ARRAY['new','contacted','visited','test_driven','quoted','ordered','delivered','lost','lost',
              'contacted'])[1 + k % 10],
       CASE WHEN k % 10 IN (7, 8) THEN (ARRAY['price','competitor','budget','postponed'])[1 + k % 4] END,
       CASE WHEN k % 10 IN (7, 8) THEN now() - ((k % 365) || ' days')::interval + interval '3 days' END,
       CURRENT_DATE + (k % 60 - 30), 'bench',
       now() - ((k % 365) || ' days')::interval - ((k % 1440) || ' minutes')::interval,
       now() - ((k % 365) || ' days')::interval
FROM generate_series(1, :leads) AS k JOIN c ON c.n = 1 + k % :customers;
INSERT INTO lead_contacts (id, lead_id, kind, outcome, by, by_no, at)
SELECT gen_random_uuid()::text, id, 'call', 'reached', owner_no, owner_no, created_at + interval '1 hour'
FROM leads WHERE state <> 'new';
INSERT INTO visits (id, customer_id, at, received_by, owner_before, owner_after, reason, recorded_by)
SELECT gen_random_uuid()::text, customer_id, created_at + interval '2 days', owner_no, owner_no, owner_no,
       'bench', 'bench'
FROM leads WHERE state IN ('visited','test_driven','quoted','ordered','delivered');
INSERT INTO tasks (id, kind, ref, lead_id, customer_id, assignee_no, title, due_at, created_by)
SELECT gen_random_uuid()::text, 'follow_up', id, id, customer_id, owner_no, 'follow up the lead',
       (next_follow_up + time '18:00') AT TIME ZONE 'Asia/Shanghai', 'bench'
FROM leads WHERE state NOT IN ('lost', 'delivered');
INSERT INTO quotes (id, lead_id, customer_id, consultant_no, model, grade, list_price, price, floor_price, discount,
                    total, status, created_by, created_at)
SELECT 'q-' || id, id, customer_id, owner_no, model, 'A', 129800, 120000, 118000, 9800, 120000, 'accepted', 'bench',
       created_at + interval '3 days'
FROM leads WHERE state IN ('quoted','ordered','delivered');
INSERT INTO orders (id, quote_id, lead_id, customer_id, consultant_no, model, grade, price, floor_price, deposit,
                    status, created_by, placed_at)
SELECT 'o-' || id, 'q-' || id, id, customer_id, owner_no, model, 'A', 120000, 118000, 5000,
       CASE state WHEN 'delivered' THEN 'delivered' ELSE 'placed' END, 'bench', created_at + interval '4 days'
FROM leads WHERE state IN ('ordered','delivered');
INSERT INTO deliveries (id, vin, customer_id, consultant_no, channel, model, grade, price, floor_price, delivered_at,
                        delivered_event_id, order_id, created_by)
SELECT 'd-' || id, 'LBENCH' || lpad(row_number() OVER ()::text, 11, '0'), customer_id, owner_no, 'showroom', model,
       'A', 120000, 118000, created_at + interval '10 days', gen_random_uuid()::text, 'o-' || id, 'bench'
FROM leads WHERE state = 'delivered';
"""

TABLES = "staff_directory, customers, leads, lead_contacts, visits, tasks, quotes, orders, deliveries"

BASELINES = {
    "mobile": (
        "SELECT * FROM customers WHERE merged_into IS NULL AND mobile LIKE :prefix || '%' ORDER BY mobile LIMIT 20"
    ),
    "name": (
        "SELECT * FROM customers WHERE merged_into IS NULL AND name LIKE '%' || :name || '%' ORDER BY name, id LIMIT 20"
    ),
    "agenda": "SELECT * FROM tasks WHERE assignee_no = :who AND status = 'open' AND due_at < :tonight "
    "ORDER BY due_at, id LIMIT 51",
    "funnel": """
        SELECT owner_no, count(*) FROM leads WHERE created_at >= :lower AND created_at < :upper GROUP BY 1;
        SELECT by_no, count(*) FROM lead_contacts WHERE at >= :lower AND at < :upper GROUP BY 1;
        SELECT received_by, count(*) FROM visits WHERE at >= :lower AND at < :upper GROUP BY 1;
        SELECT consultant_no, count(*) FROM test_drives WHERE driven_at >= :lower AND driven_at < :upper GROUP BY 1;
        SELECT consultant_no, count(*) FROM quotes WHERE created_at >= :lower AND created_at < :upper GROUP BY 1;
        SELECT consultant_no, count(*) FROM orders WHERE placed_at >= :lower AND placed_at < :upper GROUP BY 1;
        SELECT consultant_no, count(*) FROM deliveries WHERE delivered_at >= :lower AND delivered_at < :upper
          AND status = 'delivered' GROUP BY 1;
        SELECT owner_no, count(*) FROM leads WHERE lost_at >= :lower AND lost_at < :upper GROUP BY 1;
        SELECT owner_no, lost_reason, count(*) FROM leads WHERE lost_at >= :lower AND lost_at < :upper
          AND state = 'lost' GROUP BY 1, 2
    """,
}


async def _run(url: str) -> dict[str, Any]:
    db = Database(url, pool_size=4)
    started = time.perf_counter()
    await run_script(
        db,
        SEED,
        {"leads": LEADS, "customers": CUSTOMERS, "consultants": CONSULTANTS, "surnames": SURNAMES, "given": GIVEN},
    )
    await analyze(db, TABLES)
    seeded = time.perf_counter() - started
    async with db.transaction() as session:
        counts = {t: await session.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES.split(", ")}
        names = list((await session.execute(text("SELECT name FROM customers ORDER BY random() LIMIT 500"))).scalars())
        mobiles = list(
            (await session.execute(text("SELECT mobile FROM customers ORDER BY random() LIMIT 500"))).scalars()
        )

    service = InProcess("leads", url)

    def token(role: str, employee_no: str | None) -> dict[str, str]:
        return service.headers(role, employee_no, team="team-1")

    now = datetime.now(UTC)
    today = business_date(now)
    tonight = datetime.combine(today + timedelta(days=1), datetime.min.time(), SHANGHAI)
    month_start = today.replace(day=1) - timedelta(days=31)
    month = (
        month_start.replace(day=1),
        (month_start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1),
    )
    lower = datetime.combine(month[0], datetime.min.time(), SHANGHAI)
    upper = datetime.combine(month[1] + timedelta(days=1), datetime.min.time(), SHANGHAI)
    manager = token("sales_manager", "M001")
    figures: dict[str, Any] = {"seconds_to_seed": seeded, "rows": counts}
    async with service.client() as api:

        async def get(path: str, params: dict[str, str], headers: dict[str, str], expect: int | None = None) -> None:
            response = await api.get(path, params=params, headers=headers)
            assert response.status_code == 200, response.text
            if expect is not None:
                assert len(response.json()["items"]) >= expect, (path, params)

        async def sql(name: str, params: dict[str, Any]) -> None:
            async with db.transaction() as session:
                for statement in BASELINES[name].split(";"):
                    if statement.strip():
                        (await session.execute(text(statement), params)).all()

        def consultant(i: int) -> str:
            return f"S{1 + i % CONSULTANTS:03d}"

        runs: dict[str, tuple[Callable[[int], Awaitable[None]], Callable[[int], Awaitable[None]], int]] = {
            "customers by mobile prefix (7 digits), sales manager": (
                lambda i: get("/api/v1/customers", {"mobile": mobiles[i % len(mobiles)][:7]}, manager, 1),
                lambda i: sql("mobile", {"prefix": mobiles[i % len(mobiles)][:7]}),
                CALLS,
            ),
            "customers by mobile prefix (7 digits), a consultant (own customers only)": (
                lambda i: get(
                    "/api/v1/customers",
                    {"mobile": mobiles[i % len(mobiles)][:7]},
                    token("sales_consultant", consultant(i)),
                ),
                lambda i: sql("mobile", {"prefix": mobiles[i % len(mobiles)][:7]}),
                CALLS,
            ),
            "customers by name (3 characters), sales manager": (
                lambda i: get("/api/v1/customers", {"q": names[i % len(names)][:3]}, manager, 1),
                lambda i: sql("name", {"name": names[i % len(names)][:3]}),
                CALLS,
            ),
            "agenda: a consultant's tasks due today": (
                lambda i: get(
                    "/api/v1/tasks", {"assignee": "me", "due": "today"}, token("sales_consultant", consultant(i))
                ),
                lambda i: sql("agenda", {"who": consultant(i), "tonight": tonight}),
                CALLS,
            ),
            f"funnel {month[0]:%Y-%m} by consultant, sales manager": (
                lambda i: get(
                    "/api/v1/reports/funnel",
                    {"from": month[0].isoformat(), "to": month[1].isoformat(), "by": "consultant"},
                    manager,
                ),
                lambda i: sql("funnel", {"lower": lower, "upper": upper}),
                FUNNEL_CALLS,
            ),
        }
        results = {}
        for label, (through_api, baseline, calls) in runs.items():
            await through_api(0)
            await baseline(0)  # warm both
            api_ms = await timed(calls, through_api)
            sql_ms = await timed(calls, baseline)
            results[label] = (api_ms, sql_ms)
    await db.dispose()
    figures["results"] = results
    return figures


def main() -> None:
    figures = on_fresh_database(SPEC, _run)
    rows = figures["rows"]
    lines = [
        f"Machine: {machine()}.",
        generated(figures["seconds_to_seed"], rows),
        "Each call goes through the leads service's HTTP API in process (httpx ASGI transport: routing, JWT, data "
        "scope, validation, JSON); the baseline runs the same SQL directly. Sequential calls, milliseconds.",
        "",
        "| call | p50 | p95 | SQL p50 | SQL p95 | target p95 | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, (api_ms, sql_ms) in figures["results"].items():
        target = 500 if label.startswith("funnel") else 30
        p95 = percentile(api_ms, 95)
        lines.append(
            f"| {label} | {percentile(api_ms, 50):.1f} | {p95:.1f} | {percentile(sql_ms, 50):.1f} | "
            f"{percentile(sql_ms, 95):.1f} | {target} | {'yes' if p95 < target else 'NO'} |"
        )
    body = "\n".join(lines)
    write_section("Sales CRM at 1,000,000 leads (issue: leads)", body)
    print(body)


if __name__ == "__main__":
    main()
