"""Renewals worked to a result (INS-3) with the won renewal paid by payroll (INS-7), the scheduled
reports (INS-4) and the insurers' commission reconciliation (INS-5) — through the gateway."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from factories import employee, mobile, vin
from fours_devstack.testing import Stack, eventually
from servicekit.calendar import business_date
from servicekit.scheduler import Scheduler
from servicekit.tables import due_jobs, staff_directory
from sqlalchemy import select
from test_first_flow import hired, login
from test_insurance_intake import _key


def _policy(policy_no: str, car: str, holder_mobile: str, start: date, **over: Any) -> dict[str, Any]:
    return {
        "insurer": "CPIC",
        "policy_no": policy_no,
        "vin": car,
        "holder": {"name": "钱先生", "mobile": holder_mobile},
        "coverages": [{"code": "compulsory", "premium": "950.00"}, {"code": "third_party", "premium": "1200.00"}],
        "premium": "2150.00",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=364)).isoformat(),
        "commission_rate": "0.1500",
        **over,
    }


async def _known_to(stack: Stack, service: str, employee_no: str) -> None:
    async def known() -> bool:
        async with stack.kit(service).db.transaction() as session:
            return (
                await session.scalar(
                    select(staff_directory.c.employee_no).where(staff_directory.c.employee_no == employee_no)
                )
                is not None
            )

    await eventually(known)


async def _renewal_of(api: httpx.AsyncClient, car: str) -> dict[str, Any]:
    async def found() -> dict[str, Any] | None:
        items = (await api.get("/api/v1/renewals", params={"vin": car})).json()["items"]
        return items[0] if items else None

    return await eventually(found)


async def test_a_renewal_from_its_task_to_the_won_policy_paid_by_payroll(stack: Stack) -> None:
    admin = await login(stack)
    specialist = (await hired(admin, **employee(role="insurance_specialist", team="insurance")))["employee_no"]
    await _known_to(stack, "insurance", specialist)
    me = stack.client(token=stack.token("insurance_specialist", employee_no=specialist, username=specialist))
    manager = stack.client(token=stack.token("insurance_manager", employee_no="IM1", username="im1"))
    key = await _key(stack, ["insurance:push"], partner="cpic")
    today = business_date(datetime.now(UTC))
    cars = [vin(), vin()]
    holder = mobile()
    won = []
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as insurer:
        expiring = [_policy(f"C-OLD-{car}", car, holder, today - timedelta(days=300)) for car in cars]
        pushed = await insurer.post("/api/v1/integrations/policies:batch", json={"items": expiring})
        assert [r["status"] for r in pushed.json()["results"]] == ["created", "created"], pushed.text

        for n, car in enumerate(cars):
            renewal = await _renewal_of(manager, car)  # opened by the scheduler: expiry is within 90 days
            assert (renewal["status"], renewal["expires_on"]) == ("open", expiring[n]["end_date"])
            assert (
                await me.put(f"/api/v1/renewals/{renewal['id']}/assignee", json={"employee_no": specialist})
            ).status_code == 403
            assigned = await manager.put(f"/api/v1/renewals/{renewal['id']}/assignee", json={"employee_no": specialist})
            assert assigned.status_code == 200 and assigned.json()["assignee_no"] == specialist
            quoted = await me.post(f"/api/v1/renewals/{renewal['id']}/quote", json={"premium": "2080.00"})
            assert quoted.status_code == 200, quoted.text
            assert quoted.json()["status"] == "quoted" and quoted.json()["call_overdue"] is False
            due = datetime.fromisoformat(quoted.json()["call_due_at"]) - datetime.fromisoformat(
                quoted.json()["quoted_at"]
            )
            assert due == timedelta(days=3)

            async def sent(renewal_id: str = renewal["id"]) -> list[dict[str, Any]] | None:
                messages = (await me.get(f"/api/v1/renewals/{renewal_id}")).json()["messages"]
                return messages if [m["status"] for m in messages] == ["sent"] else None

            [sms] = await eventually(sent)  # handed to the (logging) SMS provider by the scheduler
            assert sms["purpose"] == "renewal_quote" and "2080.00" in sms["body"]
            called = await me.post(
                f"/api/v1/renewals/{renewal['id']}/calls", json={"outcome": "reached", "notes": "ok"}
            )
            assert called.json()["called_at"] is not None
            renewed = _policy(
                f"C-NEW-{car}", car, holder, date.fromisoformat(expiring[n]["end_date"]) + timedelta(days=1)
            )
            if n == 1:  # compulsory cover only: renewed, but not a commercial policy
                renewed |= {"coverages": [{"code": "compulsory", "premium": "950.00"}], "premium": "950.00"}
            assert (
                await insurer.post("/api/v1/integrations/policies:batch", json={"items": [renewed]})
            ).status_code == 200
            closed = (await me.get(f"/api/v1/renewals/{renewal['id']}")).json()
            assert (closed["status"], closed["commercial"]) == ("renewed", n == 0)
            won.append(closed)

    other = stack.client(token=stack.token("insurance_specialist", employee_no="NOT-ME", username="x"))
    assert (await other.get(f"/api/v1/renewals/{won[0]['id']}")).status_code == 403
    third_car = vin()
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as insurer:
        await insurer.post(
            "/api/v1/integrations/policies:batch",
            json={"items": [_policy(f"C-OLD-{third_car}", third_car, holder, today - timedelta(days=330))]},
        )
    lost_one = await _renewal_of(manager, third_car)
    await manager.put(f"/api/v1/renewals/{lost_one['id']}/assignee", json={"employee_no": specialist})
    no_reason = await me.post(f"/api/v1/renewals/{lost_one['id']}/outcome", json={"result": "lost"})
    assert no_reason.status_code == 422
    lost = await me.post(
        f"/api/v1/renewals/{lost_one['id']}/outcome",
        json={"result": "lost", "reason": "price", "counter_measure": "offer a gift card next year"},
    )
    assert lost.status_code == 200 and lost.json()["status"] == "lost"
    analysis = (
        await manager.get(
            "/api/v1/reports/renewals",
            params={"from": today.isoformat(), "to": (today + timedelta(days=90)).isoformat()},
        )
    ).json()
    mine = next(a for a in analysis["by_assignee"] if a["assignee_no"] == specialist)
    assert (mine["renewed"], mine["lost"]) == (2, 1)
    assert {"reason": "price", "count": 1, "counter_measures": ["offer a gift card next year"]} in analysis[
        "lost_reasons"
    ]

    # payroll: INS-7 — 2 renewals in the month, one commercial: 100 × the appraisal score
    async def counted() -> str | None:
        from payroll.ledger.tables import renewals_won

        async with stack.kit("payroll").db.transaction() as session:
            rows = (
                await session.execute(
                    select(renewals_won.c.counted_month).where(renewals_won.c.employee_no == specialist)
                )
            ).all()
        return rows[0].counted_month if len(rows) == 2 else None

    month = await eventually(counted)
    assert (
        await admin.put(
            f"/api/v1/employees/{specialist}/plan", json={"plan_code": "seed-aftersales", "from_month": month}
        )
    ).status_code == 200
    # INS-7: × the performance-sheet score %, not the monthly appraisal score
    sheet = {"score": 70, "sheet_score": 90}
    assert (await admin.put(f"/api/v1/appraisals/{month}/{specialist}", json=sheet)).status_code == 200
    run = await admin.post("/api/v1/payroll-runs", json={"month": month})
    if run.status_code == 409:
        run_id = next(r["id"] for r in (await admin.get("/api/v1/payroll-runs")).json()["items"] if r["month"] == month)
    else:
        run_id = run.json()["id"]
    assert (await admin.post(f"/api/v1/payroll-runs/{run_id}/compute")).status_code == 200
    slip = (await admin.get(f"/api/v1/payroll-runs/{run_id}/payslips/{specialist}")).json()
    [line] = [line for line in slip["lines"] if line["code"] == "renewal_commission"]
    assert line["amount"] == "90.00" and line["basis"]["renewals"] == "2"


async def test_the_weekly_report_is_produced_by_the_scheduler_and_downloadable(stack: Stack) -> None:
    from insurance.reports import service as reports

    kit = stack.kit("insurance")
    async with kit.db.transaction() as session:
        [job] = (
            await session.execute(
                select(due_jobs).where(due_jobs.c.kind == reports.WEEKLY.kind, due_jobs.c.status == "pending")
            )
        ).all()
    await Scheduler(kit.db, {reports.WEEKLY.kind: reports.WEEKLY.handle}).run_due(now=job.due_at)
    manager = stack.client(token=stack.token("insurance_manager", employee_no="IM1"))
    [report] = (await manager.get("/api/v1/reports/insurance", params={"kind": "weekly"})).json()
    monday = business_date(job.due_at)
    assert monday.weekday() == 0
    assert (report["period_start"], report["period_end"]) == (
        (monday - timedelta(days=7)).isoformat(),
        (monday - timedelta(days=1)).isoformat(),
    )
    assert set(report["content"]) == {"period", "new_cars", "renewals"}
    async with kit.db.transaction() as session:
        [following] = (
            await session.execute(
                select(due_jobs).where(due_jobs.c.kind == reports.WEEKLY.kind, due_jobs.c.status == "pending")
            )
        ).all()
    assert following.due_at - job.due_at == timedelta(days=7)
    csv = await manager.get(f"/api/v1/reports/insurance/{report['id']}", params={"format": "csv"})
    assert csv.status_code == 200 and csv.text.startswith("section,figure,value") and "completion_rate" in csv.text
    assert (
        await stack.client(token=stack.token("insurance_specialist", employee_no="X")).get("/api/v1/reports/insurance")
    ).status_code == 403


async def test_commission_is_reconciled_per_policy_against_the_insurer_s_statement(stack: Stack) -> None:
    key = await _key(stack, ["insurance:push"], partner="pingan")
    insurer = "PINGAN-" + vin()[-5:]
    start = date(2027, 2, 10)
    items = [_policy(f"PA-{n}", vin(), mobile(), start, insurer=insurer) for n in range(3)]
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as partner:
        assert (await partner.post("/api/v1/integrations/policies:batch", json={"items": items})).status_code == 200
    finance = stack.client(token=stack.token("finance", employee_no="F1", username="finance"))
    statement = {
        "insurer": insurer,
        "month": "2027-02",
        "lines": [
            {"policy_no": "PA-0", "amount": "322.50"},
            {"policy_no": "PA-1", "amount": "300.00"},
            {"policy_no": "PA-X", "amount": "10.00"},
        ],
    }
    assert (await finance.post("/api/v1/commission-statements", json=statement)).status_code == 204
    result = (
        await finance.get("/api/v1/reports/commission-reconciliation", params={"insurer": insurer, "month": "2027-02"})
    ).json()
    assert result["expected_total"] == "967.50" and result["received_total"] == "632.50"
    assert [(d["policy_no"], d["status"]) for d in result["differences"]] == [
        ("PA-1", "short"),
        ("PA-2", "not_paid"),
        ("PA-X", "unknown_policy"),
    ]
    consultant = stack.client(token=stack.token("sales_consultant", employee_no="S1"))
    assert (await consultant.post("/api/v1/commission-statements", json=statement)).status_code == 403


async def test_a_car_sold_with_insurance_has_a_new_car_policy_until_the_insurer_s_replaces_it(stack: Stack) -> None:
    from factories import delivery
    from test_first_flow import known_to_leads

    admin = await login(stack)
    consultant = (await hired(admin, **employee()))["employee_no"]
    await known_to_leads(admin, consultant)
    sale = delivery(consultant, insurance={"insurer": "CPIC", "coverages": ["compulsory", "own_damage"]})
    assert (await admin.post("/api/v1/deliveries", json=sale)).status_code == 201

    async def placeholder() -> dict[str, Any] | None:
        items = (await admin.get("/api/v1/policies", params={"vin": sale["vin"]})).json()["items"]
        return items[0] if items else None

    pending = await eventually(placeholder)
    assert pending["policy_no"].startswith("PENDING-") and (pending["kind"], pending["start_date"]) == (
        "new_car",
        "2026-11-20",
    )
    assert pending["end_date"] == "2027-11-19"
    key = await _key(stack, ["insurance:push"], partner="cpic")
    real = _policy(
        f"CPIC-NEW-{sale['vin']}", sale["vin"], sale["customer"]["mobile"][-11:], date(2026, 11, 20), kind="new_car"
    )
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as insurer:
        pushed = await insurer.post("/api/v1/integrations/policies:batch", json={"items": [real]})
    assert pushed.json()["results"][0]["status"] == "created"
    [policy] = (await admin.get("/api/v1/policies", params={"vin": sale["vin"]})).json()["items"]
    assert (policy["id"], policy["policy_no"], policy["premium"]) == (pending["id"], real["policy_no"], "2150.00")
