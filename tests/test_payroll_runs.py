"""A month from delivery events to a locked payroll run, recomputation, late events and clawbacks."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from factories import delivery, employee, vin
from fours_contracts import CloudEvent, VehicleDelivered, VehicleDeliveryCancelled, VehicleSettled
from fours_devstack.testing import Stack, eventually
from test_first_flow import hired, login


async def _deliver(stack: Stack, consultant: str, vin_: str, at: str, **over: Any) -> CloudEvent:
    body = delivery(consultant, vin=vin_, delivered_at=at, **over)
    event = VehicleDelivered.model_validate(
        {
            **body,
            "delivery_id": f"d-{vin_}",
            "customer": {"customer_id": f"c-{vin_}", "name": "客户", "mobile": "13900000000"},
        }
    )
    envelope = CloudEvent.wrap(event, source="/fours/leads")
    producer = await stack.kit("leads").broker.producer()
    await producer.send_and_wait(
        event.topic(), envelope.kafka_value(), key=vin_.encode(), headers=envelope.kafka_headers()
    )
    return envelope


async def _cancel(stack: Stack, consultant: str, vin_: str, delivered: CloudEvent, at: datetime) -> None:
    event = VehicleDeliveryCancelled(
        delivery_id=f"d-{vin_}",
        vin=vin_,
        consultant_no=consultant,
        reason="withdrawn",
        cancelled_at=at,
        delivered_event_id=delivered.id,
    )
    envelope = CloudEvent.wrap(event, source="/fours/leads")
    producer = await stack.kit("leads").broker.producer()
    await producer.send_and_wait(
        event.topic(), envelope.kafka_value(), key=vin_.encode(), headers=envelope.kafka_headers()
    )


async def _settle(stack: Stack, consultant: str, vin_: str, delivered: CloudEvent, at: datetime) -> None:
    event = VehicleSettled(
        delivery_id=f"d-{vin_}", vin=vin_, consultant_no=consultant, settled_at=at, delivered_event_id=delivered.id
    )
    envelope = CloudEvent.wrap(event, source="/fours/leads")
    producer = await stack.kit("leads").broker.producer()
    await producer.send_and_wait(
        event.topic(), envelope.kafka_value(), key=vin_.encode(), headers=envelope.kafka_headers()
    )


async def _settled(stack: Stack, event_ids: list[str]) -> bool:
    from payroll.ledger.tables import car_sales
    from sqlalchemy import func, select

    async with stack.kit("payroll").db.transaction() as session:
        n = await session.scalar(
            select(func.count()).where(
                car_sales.c.delivered_event_id.in_(event_ids), car_sales.c.settled_at.is_not(None)
            )
        )
    return n == len(event_ids)


async def _counted(stack: Stack, event_ids: list[str]) -> bool:
    from payroll.ledger.tables import car_sales
    from sqlalchemy import func, select

    async with stack.kit("payroll").db.transaction() as session:
        n = await session.scalar(select(func.count()).where(car_sales.c.delivered_event_id.in_(event_ids)))
    return n == len(event_ids)


async def _run(api: Any, month: str) -> dict[str, Any]:
    created = await api.post("/api/v1/payroll-runs", json={"month": month})
    assert created.status_code == 201, created.text
    return created.json()


async def test_a_month_from_delivery_events_to_a_locked_run_with_explained_payslips(stack: Stack) -> None:
    admin = await login(stack)
    month = "2031-03"
    consultant = (await hired(admin, **employee(hired_on="2028-01-15", performance_wage="3000.00")))["employee_no"]
    assert (
        await admin.put(
            f"/api/v1/employees/{consultant}/plan", json={"plan_code": "seed-2015-sales", "from_month": "2031-01"}
        )
    ).status_code == 200
    assert (await admin.put(f"/api/v1/targets/{month}/{consultant}", json={"units": 3})).status_code == 200
    assert (await admin.put(f"/api/v1/appraisals/{month}/{consultant}", json={"score": 95})).status_code == 200
    full = ["compulsory", "own_damage", "third_party", "excess_waiver", "passengers"]
    events = [
        await _deliver(
            stack,
            consultant,
            f"LPAYRL{n:011d}",
            f"2031-03-{10 + n:02d}T10:00:00+08:00",
            loan={"bank": "ICBC", "handling_fee": "3500.00"} if n == 1 else None,
            insurance={"insurer": "PICC", "coverages": full} if n < 3 else None,
            accessories={"price": "3000.00", "cost": "0.00"} if n == 2 else None,
        )
        for n in range(1, 5)
    ]
    await eventually(lambda: _counted(stack, [e.id for e in events]))
    run = await _run(admin, month)
    assert (await admin.post("/api/v1/payroll-runs", json={"month": month})).status_code == 409
    assert (await admin.post(f"/api/v1/payroll-runs/{run['id']}/lock")).status_code == 409

    computed = (await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")).json()
    assert computed["state"] == "computed"
    slip = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{consultant}")).json()
    by_code: dict[str, Decimal] = {}
    for line in slip["lines"]:
        by_code[line["code"]] = by_code.get(line["code"], Decimal(0)) + Decimal(line["amount"])
    assert by_code["base_wage"] == Decimal("1200.00")
    assert by_code["seniority"] == Decimal("150.00")  # three full years on 2031-03-31
    assert by_code["performance_pay"] == Decimal("3000.00")  # 4 of 3 cars: 133%
    assert by_code["target_bonus"] == Decimal("300.00") and by_code["top_seller_bonus"] == Decimal("300.00")
    assert by_code["insurance_commission"] == Decimal("200.00") and by_code["loan_commission"] == Decimal("300.00")
    assert by_code["accessories_commission"] == Decimal("1000.00")
    assert Decimal(slip["gross"]) == sum(by_code.values())
    loan = next(line for line in slip["lines"] if line["code"] == "loan_commission")
    assert loan["source_event_ids"] == [events[0].id] and loan["basis"]["handling_fee"] == "3500.00"

    again = (await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")).json()
    assert again["gross_total"] == computed["gross_total"]
    assert (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{consultant}")).json()["lines"] == slip["lines"]

    me = stack.client(token=stack.token("sales_consultant", employee_no=consultant))
    assert (await me.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{consultant}")).status_code == 200
    other = stack.client(token=stack.token("sales_consultant", employee_no="S-OTHER-1"))
    assert (await other.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{consultant}")).status_code == 403

    assert (await admin.post(f"/api/v1/payroll-runs/{run['id']}/approve")).json()["state"] == "approved"
    assert (await admin.post(f"/api/v1/payroll-runs/{run['id']}/lock")).json()["state"] == "locked"
    assert (await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")).status_code == 409
    export = await admin.get(f"/api/v1/payroll-runs/{run['id']}/export.csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert consultant in export.text and "accessories_commission" in export.text

    # after the lock: a late delivery of March and a cancellation of a paid car land in April
    late = await _deliver(stack, consultant, "LPAYRL00000000099", "2031-03-30T10:00:00+08:00")
    await _cancel(stack, consultant, "LPAYRL00000000001", events[0], datetime(2031, 4, 2, 3, 0, tzinfo=UTC))
    await eventually(lambda: _counted(stack, [late.id]))

    async def cancellation_seen() -> bool:
        from payroll.ledger.tables import car_sales
        from sqlalchemy import select

        async with stack.kit("payroll").db.transaction() as session:
            return (
                await session.scalar(select(car_sales.c.clawback_month).where(car_sales.c.vin == "LPAYRL00000000001"))
                == "2031-04"
            )

    await eventually(cancellation_seen)
    april = await _run(admin, "2031-04")
    await admin.post(f"/api/v1/payroll-runs/{april['id']}/compute")
    slip = (await admin.get(f"/api/v1/payroll-runs/{april['id']}/payslips/{consultant}")).json()
    clawback = [line for line in slip["lines"] if line["code"] == "clawback"]
    assert [Decimal(line["amount"]) for line in clawback] == [Decimal("-400.00")]  # loan 300 + insurance 100
    adjustments = [line for line in slip["lines"] if line["code"] == "adjustment"]
    assert adjustments and all(late.id in line["source_event_ids"] for line in adjustments)
    march = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{consultant}")).json()
    assert (
        march["lines"] == (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{consultant}")).json()["lines"]
    )


async def test_plans_are_data_and_a_new_version_takes_effect_from_its_month(stack: Stack) -> None:
    admin = await login(stack)
    plans = (await admin.get("/api/v1/commission-plans")).json()["items"]
    assert {"seed-2008-sales", "seed-2013-sales", "seed-2015-sales"} <= {p["code"] for p in plans if p["builtin"]}
    document = {
        "code": "store-2031",
        "name": "our own",
        "effective_month": "2031-06",
        "rules": [{"kind": "unit_tiers", "tiers": [{"upto": None, "rates": {"A": "500", "B": "400"}}]}],
    }
    assert (await admin.post("/api/v1/commission-plans", json=document)).status_code == 201
    assert (await admin.post("/api/v1/commission-plans", json=document)).status_code == 409
    bad = await admin.post(
        "/api/v1/commission-plans", json={**document, "code": "x-bad", "rules": [{"kind": "wishful"}]}
    )
    assert bad.status_code == 422
    builtin_copy = await admin.post("/api/v1/commission-plans", json={**document, "code": "seed-2015-sales"})
    assert builtin_copy.status_code == 409
    someone = (await hired(admin, **employee()))["employee_no"]
    early = await admin.put(
        f"/api/v1/employees/{someone}/plan", json={"plan_code": "store-2031", "from_month": "2031-05"}
    )
    assert early.status_code == 422
    assert (
        await admin.put(f"/api/v1/employees/{someone}/plan", json={"plan_code": "store-2031", "from_month": "2031-06"})
    ).status_code == 200


async def test_an_advisors_bottles_from_service_handovers_are_paid_when_the_output_target_is_met(stack: Stack) -> None:
    from test_repair_orders import _car, _opened

    admin = await login(stack)
    advisor = (await hired(admin, **employee(role="service_advisor", base_wage="1300.00")))["employee_no"]
    await admin.put(f"/api/v1/employees/{advisor}/plan", json={"plan_code": "seed-aftersales", "from_month": "2031-07"})
    await admin.put(f"/api/v1/targets/2031-07/{advisor}", json={"output": "3000.00"})
    car = await _car(admin)
    order = await _opened(admin, car, advisor, opened_at="2031-07-08T09:00:00+08:00")
    for line in [
        {"kind": "labour", "description": "service", "quantity": "2", "unit_price": "500.00"},
        {"kind": "product", "description": "engine oil 1L", "quantity": "60", "unit_price": "40.00"},
    ]:
        assert (await admin.post(f"/api/v1/repair-orders/{order['id']}/lines", json=line)).status_code == 201
    for to in ("in_progress", "quality_check", "ready"):
        await admin.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to})
    handed = await admin.post(
        f"/api/v1/repair-orders/{order['id']}/handover", json={"handed_over_at": "2031-07-08T17:00:00+08:00"}
    )
    completed_event = handed.json()["completed_event_id"]

    async def counted() -> bool:
        from payroll.ledger.tables import service_jobs
        from sqlalchemy import select

        async with stack.kit("payroll").db.transaction() as session:
            return (
                await session.scalar(
                    select(service_jobs.c.advisor_no).where(service_jobs.c.completed_event_id == completed_event)
                )
                == advisor
            )

    await eventually(counted)
    run = await _run(admin, "2031-07")
    await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")
    slip = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{advisor}")).json()
    [bottles] = [line for line in slip["lines"] if line["code"] == "maintenance_products"]
    assert Decimal(bottles["amount"]) == Decimal("360.00")  # 60 bottles, 51-100 → 6 each; output 3,400 ≥ 3,000
    assert bottles["source_event_ids"] == [completed_event] and slip["plan_code"] == "seed-aftersales"


async def test_store_figures_pay_the_service_manager_s_profit_bonus(stack: Stack) -> None:
    admin = await login(stack)
    manager = (await hired(admin, **employee(role="service_manager", base_wage="2000.00")))["employee_no"]
    month = "2032-03"
    assert (
        await admin.put(
            f"/api/v1/employees/{manager}/plan", json={"plan_code": "seed-aftersales-manager", "from_month": month}
        )
    ).status_code == 200
    figures = {"aftersales_net_profit": "200000.00", "aftersales_net_profit_target": "250000.00"}
    hr = stack.client(token=stack.token("hr_manager", employee_no="HR1", username="hr"))
    assert (
        await hr.put(f"/api/v1/store-figures/{month}", json={**figures, "parts_sheet_score": "101"})
    ).status_code == 422
    stored = await hr.put(f"/api/v1/store-figures/{month}", json=figures)
    assert stored.status_code == 200 and stored.json()["set_by"] == "hr"
    assert (
        await hr.put(f"/api/v1/appraisals/{month}/{manager}", json={"score": 90, "sheet_score": 95})
    ).status_code == 200
    run = (await admin.post("/api/v1/payroll-runs", json={"month": month})).json()
    assert (await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")).status_code == 200
    slip = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{manager}")).json()
    [bonus] = [line for line in slip["lines"] if line["code"] == "service_bonus"]
    assert bonus["amount"] == "1368.00" and bonus["basis"]["completion"].startswith("0.8")


async def test_an_advisor_s_output_commission_comes_from_service_handovers_and_the_month_s_targets(
    stack: Stack,
) -> None:
    """PAY-13 through the whole platform: the handover's output and the car received, against the
    output and intake targets, on the built-in seed-service-advisor plan."""
    from test_repair_orders import _car, _opened

    admin = await login(stack)
    month = "2032-08"
    advisor = (await hired(admin, **employee(role="service_advisor", base_wage="1300.00")))["employee_no"]
    plan = {"plan_code": "seed-service-advisor", "from_month": month}
    assert (await admin.put(f"/api/v1/employees/{advisor}/plan", json=plan)).status_code == 200
    assert (
        await admin.put(f"/api/v1/targets/{month}/{advisor}", json={"output": "3000.00", "units": 2})
    ).status_code == 200
    car = await _car(admin)
    order = await _opened(admin, car, advisor, opened_at=f"{month}-08T09:00:00+08:00")
    for line in [
        {"kind": "labour", "description": "service", "quantity": "2", "unit_price": "500.00"},
        {"kind": "product", "description": "engine oil 1L", "quantity": "60", "unit_price": "40.00"},
    ]:
        assert (await admin.post(f"/api/v1/repair-orders/{order['id']}/lines", json=line)).status_code == 201
    for to in ("in_progress", "quality_check", "ready"):
        await admin.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to})
    handed = await admin.post(
        f"/api/v1/repair-orders/{order['id']}/handover", json={"handed_over_at": f"{month}-08T17:00:00+08:00"}
    )
    assert handed.status_code == 200, handed.text

    async def counted() -> bool:
        from payroll.ledger.tables import service_jobs
        from sqlalchemy import select

        async with stack.kit("payroll").db.transaction() as session:
            found = await session.scalar(select(service_jobs.c.advisor_no).where(service_jobs.c.counted_month == month))
        return found == advisor

    await eventually(counted)
    run = await _run(admin, month)
    await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")
    slip = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{advisor}")).json()
    [line] = [line for line in slip["lines"] if line["code"] == "output_commission"]
    # output 3,400 × 1 % × 3,400/3,000 + 1 car × 2 × 1/2 = 38.53 + 1.00
    assert Decimal(line["amount"]) == Decimal("39.53")
    assert line["basis"]["cars_received"] == "1" and line["basis"]["intake_target"] == "2"
    assert "PAY-13" in line["description"]


async def test_attendance_scales_the_post_wage_and_a_probationer_gets_the_post_wage_only(stack: Stack) -> None:
    admin = await login(stack)
    month = "2032-09"
    regular = (await hired(admin, **employee(hired_on="2029-01-10")))["employee_no"]
    trainee = (await hired(admin, **employee(hired_on="2032-08-01", probation_until="2032-10-31")))["employee_no"]
    assert (await admin.get(f"/api/v1/employees/{trainee}")).json()["probation_until"] == "2032-10-31"
    days = {"days_worked": "15", "days_scheduled": "20"}
    assert (await admin.put(f"/api/v1/attendance/{month}/{regular}", json=days)).status_code == 200
    too_many = await admin.put(
        f"/api/v1/attendance/{month}/{regular}", json={"days_worked": "21", "days_scheduled": "20"}
    )
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["name"] == "days_worked"
    await _deliver(stack, trainee, vin(), f"{month}-10T10:00:00+08:00")
    await _deliver(stack, regular, vin(), f"{month}-10T11:00:00+08:00")
    run = await _run(admin, month)

    async def computed() -> dict[str, Any] | None:
        await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")
        slip = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{regular}")).json()
        return slip if any(line["code"] == "unit_commission" for line in slip["lines"]) else None

    slip = await eventually(computed)
    wage = next(line for line in slip["lines"] if line["code"] == "base_wage")
    assert wage["amount"] == "720.00"  # 2008 plan: fixed 80 % of 1200, × 15 of 20 days
    assert wage["basis"]["days_worked"] == "15.0" and "15.0 of 20.0 days" in wage["description"]
    trainee_slip = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{trainee}")).json()
    assert [(line["code"], line["amount"]) for line in trainee_slip["lines"]] == [("base_wage", "1200.00")]


async def test_the_staff_list_and_the_month_s_inputs_sheet(stack: Stack) -> None:
    admin = await login(stack)
    month = "2025-06"  # past, so who left in it has left by today
    tag = vin()[-6:]
    full = await hired(admin, **employee(name=f"满勤{tag}", hired_on="2020-01-01"))
    part = await hired(admin, **employee(name=f"请假{tag}", hired_on="2020-01-01", role="service_advisor"))
    gone = await hired(admin, **employee(name=f"离职{tag}", hired_on="2020-01-01"))
    later = await hired(admin, **employee(name=f"新人{tag}", hired_on="2025-07-02"))

    found = await admin.get("/api/v1/employees", params={"q": tag})
    assert found.status_code == 200, found.text
    assert [e["employee_no"] for e in found.json()["items"]] == sorted(
        p["employee_no"] for p in (full, part, gone, later)
    )
    left = await admin.patch(f"/api/v1/employees/{gone['employee_no']}", json={"left_on": "2025-06-15"})
    assert left.status_code == 200, left.text
    on_staff = (await admin.get("/api/v1/employees", params={"q": tag})).json()["items"]
    assert gone["employee_no"] not in [e["employee_no"] for e in on_staff]
    advisors = (await admin.get("/api/v1/employees", params={"q": tag, "role": "service_advisor"})).json()["items"]
    assert [e["employee_no"] for e in advisors] == [part["employee_no"]]
    former = (await admin.get("/api/v1/employees", params={"q": tag, "state": "left"})).json()["items"]
    assert [e["employee_no"] for e in former] == [gone["employee_no"]]

    no = part["employee_no"]
    await admin.put(f"/api/v1/attendance/{month}/{no}", json={"days_worked": "18.5", "days_scheduled": "22"})
    await admin.put(f"/api/v1/appraisals/{month}/{no}", json={"score": "92"})
    await admin.put(f"/api/v1/targets/{month}/{no}", json={"output": "180000.00"})
    fine = {"month": month, "employee_no": no, "amount": "-50.00", "reason": "迟到"}
    assert (await admin.post("/api/v1/adjustments", json=fine)).status_code == 201
    sheet = await admin.get(f"/api/v1/payroll-inputs/{month}")
    assert sheet.status_code == 200, sheet.text
    rows = {row["employee_no"]: row for row in sheet.json()["items"]}
    assert later["employee_no"] not in rows  # hired after the month
    assert gone["employee_no"] in rows  # left during it: still paid for it
    assert rows[full["employee_no"]] | {"employee_no": None} == {
        "employee_no": None,
        "name": f"满勤{tag}",
        "role": "sales_consultant",
        "team": "showroom-1",
        "attendance": None,
        "appraisal": None,
        "target": None,
    }
    assert rows[no]["attendance"] == {"days_worked": "18.5", "days_scheduled": "22.0"}
    assert rows[no]["appraisal"] == {"score": "92.00", "sheet_score": None}
    assert rows[no]["target"] == {"units": None, "output": "180000.00", "profit": None}
    mine = [a for a in sheet.json()["adjustments"] if a["employee_no"] == no]
    assert [(a["amount"], a["reason"]) for a in mine] == [("-50.00", "迟到")]
    assert (await admin.get("/api/v1/payroll-inputs/2025-13")).status_code == 422
    consultant = stack.client(token=stack.token("sales_consultant", employee_no=full["employee_no"]))
    assert (await consultant.get("/api/v1/employees")).status_code == 403
    assert (await consultant.get(f"/api/v1/payroll-inputs/{month}")).status_code == 403
