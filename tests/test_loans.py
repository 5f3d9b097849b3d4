"""FIN-1..4 through the gateway: an order quoted with a loan opens its application in the F&I office;
documents, the risk desk, the lender's answer; the handover refused with ``loan_not_approved`` until
the lender approves; the payout; a declined loan that the sales manager lets go with a reason."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from factories import employee, employee_no, plate
from fours_devstack.testing import Stack, eventually
from insurance.repayments.service import SWEEP, sweep
from servicekit.calendar import business_date, today
from servicekit.scheduler import Scheduler
from servicekit.tables import due_jobs
from sqlalchemy import select
from test_first_flow import commissions, hired, login
from test_insurance_intake import _key
from test_insurance_renewals import _known_to
from test_sales_crm import _as, _lead, _quote, _staff, _stock_car

REQUIRED = ["id_card", "household", "income", "bank_statements", "marriage"]
CHECKLIST = [{"code": code, "label": code} for code in REQUIRED] + [
    {"code": "driving_licence", "label": "驾驶证", "required": False}
]
"""The store's default list, set for each test's own lender (the fuzz run may change the default)."""


def _lender() -> str:
    return f"BANK{employee_no('L')}"


def _loan(bank: str) -> dict[str, Any]:
    return {"bank": bank, "amount": "60000.00", "handling_fee": "3500.00", "term_months": 36, "annual_rate": "0.048"}


async def _financed_order(stack: Stack, loan: dict[str, Any] | None) -> dict[str, Any]:
    """A consultant, their manager, a stock car through PDI and an order for it quoted with ``loan``."""
    _admin, [s1, manager_no] = await _staff(stack, 2)
    me, manager = _as(stack, s1), _as(stack, manager_no, role="sales_manager")
    car = await _stock_car(manager)
    quote = await _quote(me, await _lead(me), loan=loan)
    await me.post(f"/api/v1/quotes/{quote['id']}/transitions", json={"to": "accepted"})
    order = await me.post("/api/v1/orders", json={"quote_id": quote["id"], "deposit": "5000.00", "vin": car})
    assert order.status_code == 201, order.text
    return {"order": order.json(), "me": me, "manager": manager, "consultant_no": s1, "vin": car}


async def _specialist(stack: Stack) -> tuple[str, httpx.AsyncClient]:
    admin_api = await login(stack)
    number = (await hired(admin_api, **employee(role="finance_specialist", team="finance")))["employee_no"]
    await _known_to(stack, "insurance", number)
    return number, stack.client(token=stack.token("finance_specialist", employee_no=number, username=number))


async def _application_of(api: httpx.AsyncClient, order_id: str) -> dict[str, Any]:
    async def opened() -> dict[str, Any] | None:
        items = (await api.get("/api/v1/loan-applications", params={"order_id": order_id})).json()["items"]
        return items[0] if items else None

    return await eventually(opened)


async def _sweep_job(stack: Stack) -> Any:
    async with stack.kit("insurance").db.transaction() as session:
        [job] = (
            await session.execute(select(due_jobs).where(due_jobs.c.kind == SWEEP.kind, due_jobs.c.status == "pending"))
        ).all()
    return job


async def _tasks(api: httpx.AsyncClient, application_id: str, **params: Any) -> list[dict[str, Any]]:
    response = await api.get("/api/v1/loans/tasks", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return [t for t in response.json()["items"] if t["application_id"] == application_id]


async def _overdue(api: httpx.AsyncClient, application_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = (
            await api.get("/api/v1/loans/overdue", params={"limit": 200, **({"cursor": cursor} if cursor else {})})
        ).json()
        items += [o for o in page["items"] if o["application_id"] == application_id]
        if not (cursor := page["next_cursor"]):
            return items


async def _registration_of(api: httpx.AsyncClient, car: str) -> dict[str, Any]:
    async def opened() -> dict[str, Any] | None:
        items = (await api.get("/api/v1/registrations", params={"vin": car})).json()["items"]
        return items[0] if items else None

    return await eventually(opened)


async def _order_loan(api: httpx.AsyncClient, order_id: str, state: str) -> dict[str, Any]:
    async def reached() -> dict[str, Any] | None:
        order = (await api.get(f"/api/v1/orders/{order_id}")).json()
        return order if order["loan_state"] == state else None

    return await eventually(reached)


async def test_a_financed_car_is_handed_over_once_the_lender_approved(stack: Stack) -> None:
    bank = _lender()
    finance = stack.client(token=stack.token("finance_manager", employee_no="FM1", username="fm1"))
    assert (await finance.put(f"/api/v1/loan-documents/{bank}", json={"documents": CHECKLIST})).status_code == 200
    sale = await _financed_order(stack, _loan(bank))
    order, me = sale["order"], sale["me"]
    assert (order["financed"], order["loan_holds_handover"]) == (True, True)
    specialist_no, specialist = await _specialist(stack)
    risk = stack.client(token=stack.token("risk_officer", employee_no="RK1", username="rk1"))

    application = await _application_of(finance, order["id"])  # opened from order.placed
    assert (application["state"], application["lender"], application["amount"]) == ("draft", bank, "60000.00")
    assert (application["down_payment"], application["term_months"], application["annual_rate"]) == (
        "60000.00",
        36,
        "0.04800",
    )
    assert application["missing_documents"] == REQUIRED  # the driving licence is optional
    assert application["customer_name"] == "顾先生"  # the buyer, from the order
    assigned = await finance.put(
        f"/api/v1/loan-applications/{application['id']}/specialist", json={"employee_no": specialist_no}
    )
    assert assigned.status_code == 200 and assigned.json()["specialist_no"] == specialist_no
    again = await finance.post(
        "/api/v1/loan-applications",
        json={**_terms(order["id"]), "lender": "CCB"},
    )
    assert again.status_code == 409 and again.json()["application_id"] == application["id"]
    await _order_loan(me, order["id"], "applied")

    handover = {"order_id": order["id"], "delivered_at": datetime.now(UTC).isoformat()}
    refused = await me.post("/api/v1/deliveries", json=handover)
    assert refused.status_code == 409, refused.text
    assert (refused.json()["reason"], refused.json()["loan_state"]) == ("loan_not_approved", "applied")

    app_url = f"/api/v1/loan-applications/{application['id']}"
    early = await specialist.post(f"{app_url}/transitions", json={"to": "documents_complete"})
    assert early.status_code == 409 and early.json()["missing"] == REQUIRED
    for code in REQUIRED:
        ticked = await specialist.put(f"{app_url}/documents/{code}", json={"received": True, "note": "原件已核"})
        assert ticked.status_code == 200, ticked.text
    assert (await specialist.put(f"{app_url}/documents/passport", json={"received": True})).status_code == 404
    complete = await specialist.post(f"{app_url}/transitions", json={"to": "documents_complete"})
    assert complete.status_code == 200 and complete.json()["missing_documents"] == []
    unreviewed = await specialist.post(f"{app_url}/transitions", json={"to": "submitted"})
    assert unreviewed.status_code == 409 and unreviewed.json()["type"].endswith("/risk-review")

    review = {"outcome": "refer", "notes": "收入证明偏低", "credit_check": "征信正常"}
    assert (await specialist.post(f"{app_url}/risk-review", json=review)).status_code == 403
    referred = await risk.post(
        f"{app_url}/risk-review",
        json={
            **review,
            "home_visit": {"visited_on": today().isoformat(), "visited_by": "RK1", "findings": "住址属实"},
            "counter_guarantees": ["配偶共同还款"],
        },
    )
    assert referred.status_code == 200 and referred.json()["watch"] is True  # a referral is watched after the loan
    assert (await specialist.post(f"{app_url}/transitions", json={"to": "submitted"})).status_code == 409
    submitted = await finance.post(f"{app_url}/transitions", json={"to": "submitted"})  # the manager decides
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["allowed_transitions"] == ["approved", "declined", "withdrawn"]

    incomplete = await specialist.post(f"{app_url}/transitions", json={"to": "approved", "approved_amount": "58000"})
    assert incomplete.status_code == 422
    assert {e["name"] for e in incomplete.json()["errors"]} == {"annual_rate", "term_months"}
    answer = {"to": "approved", "approved_amount": "60000.01", "annual_rate": "0.045", "term_months": 36}
    assert (await specialist.post(f"{app_url}/transitions", json=answer)).status_code == 422  # more than applied
    approved = await specialist.post(f"{app_url}/transitions", json={**answer, "approved_amount": "58000.00"})
    assert approved.status_code == 200, approved.text
    assert (approved.json()["state"], approved.json()["approved_rate"]) == ("approved", "0.04500")
    wrong = await specialist.post(f"{app_url}/transitions", json={"to": "closed"})
    assert wrong.status_code == 409 and wrong.json()["allowed"] == ["disbursed", "withdrawn"]

    assert (await _order_loan(me, order["id"], "approved"))["loan_holds_handover"] is False
    handed = await me.post("/api/v1/deliveries", json=handover)
    assert handed.status_code == 201, handed.text
    assert handed.json()["loan"] == {"bank": bank, "handling_fee": "3500.00"}
    assert handed.json()["loan_override_reason"] is None

    contract = f"{bank}-2026-0001"
    sweep_job = await _sweep_job(stack)
    day = business_date(sweep_job.due_at)  # the morning the after-loan run opens tasks
    paid_out = await specialist.post(
        f"{app_url}/transitions",
        json={
            "to": "disbursed",
            "contract_no": contract,
            "disbursed_amount": "58000",
            "disbursed_on": (day - timedelta(days=75)).isoformat(),
            "first_due_on": (day - timedelta(days=45)).isoformat(),
        },
    )
    assert paid_out.status_code == 200, paid_out.text
    await _order_loan(me, order["id"], "disbursed")
    plan = (await specialist.get(f"/api/v1/loans/{application['id']}/schedule")).json()
    first, second, third = plan["instalments"][:3]
    # FIN-2: 58,000 over 36 months at 4.5 %: 1,725.32 a month, the first month's interest 217.50
    assert (first["payment"], first["interest"], len(plan["instalments"])) == ("1725.32", "217.50", 36)
    assert sum(Decimal(i["principal"]) for i in plan["instalments"]) == Decimal("58000.00")

    key = await _key(stack, ["loans:repay"], partner=bank.lower())  # the lender's key, as it names itself
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as lender_api:
        statement = [
            {"contract_no": contract, "instalment": 1, "amount": "1725.32", "paid_on": first["due_on"]},
            {"contract_no": contract, "instalment": 2, "amount": "800.00", "paid_on": second["due_on"]},
            {"contract_no": f"{bank}-9999", "instalment": 1, "amount": "1.00", "paid_on": first["due_on"]},
            {"contract_no": contract, "instalment": 3, "amount": "1725.33", "paid_on": third["due_on"]},
            {"contract_no": contract, "instalment": "one"},
        ]
        pushed = await lender_api.post("/api/v1/integrations/loan-repayments:batch", json={"items": statement})
        assert pushed.status_code == 200, pushed.text
        results = pushed.json()["results"]
        assert [r["status"] for r in results] == ["recorded", "recorded", "rejected", "rejected", "rejected"]
        assert results[2]["errors"][0]["name"] == "contract_no" and results[3]["errors"][0]["name"] == "amount"
        again = await lender_api.post("/api/v1/integrations/loan-repayments:batch", json={"items": statement[:2]})
        assert [r["status"] for r in again.json()["results"]] == ["unchanged", "unchanged"]
        less = {**statement[1], "amount": "700.00"}
        assert (await lender_api.post("/api/v1/integrations/loan-repayments:batch", json={"items": [less]})).json()[
            "results"
        ][0]["status"] == "rejected"  # a lender does not take money back
        too_many = await lender_api.post("/api/v1/integrations/loan-repayments:batch", json={"items": [less] * 1001})
        assert too_many.status_code == 413 and too_many.json()["detail"] == "at most 1000 lines per call, got 1001"
    plan = (await specialist.get(f"/api/v1/loans/{application['id']}/schedule")).json()
    assert [(i["paid_amount"], i["paid_on"]) for i in plan["instalments"][:2]] == [
        ("1725.32", first["due_on"]),
        ("800.00", None),
    ]

    # The morning run: the second instalment, part paid, is a collection for the specialist.
    await Scheduler(stack.kit("insurance").db, {SWEEP.kind: SWEEP.handle}).run_due(now=sweep_job.due_at)
    # The list counts the days overdue as of today; the run's morning may already be tomorrow's.
    late = (today() - date.fromisoformat(second["due_on"])).days
    [collection] = await _tasks(specialist, application["id"], kind="collection")
    assert (collection["number"], collection["level"], collection["assignee_no"]) == (2, 0, specialist_no)
    assert collection["outstanding"] == "925.32"
    overdue = await _overdue(finance, application["id"])
    assert [(o["number"], o["days_overdue"], o["level"]) for o in overdue] == [(2, late, 0)]
    assert (
        await specialist.post(f"/api/v1/loans/tasks/{collection['id']}/done", json={"note": "x"})
    ).status_code == 409

    # Thirty days overdue it is the finance manager's; a watched customer is reminded 3 days ahead.
    async with stack.kit("insurance").db.transaction() as session:
        await sweep(session, date.fromisoformat(second["due_on"]) + timedelta(days=30))
    [escalated] = await _tasks(finance, application["id"], kind="collection", escalated="true")
    assert (escalated["number"], escalated["level"], escalated["assignee_no"]) == (2, 1, None)
    assert 2 not in [t["number"] for t in await _tasks(specialist, application["id"], kind="collection")]
    fourth = plan["instalments"][3]
    async with stack.kit("insurance").db.transaction() as session:
        await sweep(session, date.fromisoformat(fourth["due_on"]) - timedelta(days=3))
    [reminder] = [r for r in await _tasks(specialist, application["id"], kind="reminder") if r["number"] == 4]
    done = await specialist.post(f"/api/v1/loans/tasks/{reminder['id']}/done", json={"note": "已电话提醒"})
    assert done.status_code == 200 and done.json()["state"] == "done"

    # REG: the handover opened the car's registration; its plate, then the mortgage for the lender.
    plates = stack.client(token=stack.token("plate_specialist", employee_no="PL1", username="pl1"))
    registration = await _registration_of(plates, sale["vin"])
    assert (registration["financed"], registration["lender"], registration["state"]) == (True, bank, "open")
    assert registration["missing_documents"] == ["invoice", "certificate", "purchase_tax"]  # insured with the car
    reg_url = f"/api/v1/registrations/{registration['id']}"
    number = plate()
    early = await plates.post(f"{reg_url}/plate", json={"plate": number})
    assert early.status_code == 409 and early.json()["missing"] == ["invoice", "certificate", "purchase_tax"]
    for code in ("invoice", "certificate", "purchase_tax"):
        assert (await plates.put(f"{reg_url}/documents/{code}", json={"received": True})).status_code == 200
    booked = await plates.put(
        f"{reg_url}/appointment", json={"at": datetime.now(UTC).isoformat(), "office": "苏州市车管所园区分所"}
    )
    assert booked.status_code == 200
    bad = await plates.post(f"{reg_url}/plate", json={"plate": "苏E·1234"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["name"] == "plate"
    plated = await plates.post(f"{reg_url}/plate", json={"plate": number})
    assert plated.status_code == 200, plated.text
    assert (plated.json()["state"], plated.json()["plate"]) == ("registered", number.replace("·", ""))
    advisor = stack.client(token=stack.token("service_advisor", employee_no="SA-REG", username="sa-reg"))

    async def found_at_reception() -> list[dict[str, Any]] | None:
        cars = (await advisor.get("/api/v1/vehicles", params={"plate": number.replace("·", " ")})).json()["items"]
        return cars or None

    [car] = await eventually(found_at_reception)
    assert car["vin"] == sale["vin"]
    policies = (await finance.get("/api/v1/policies", params={"vin": sale["vin"]})).json()["items"]
    assert [p["plate"] for p in policies] == [number.replace("·", "")]  # the new-car policy gained it
    mortgaged = await plates.post(
        f"{reg_url}/mortgage",
        json={"notarised_on": today().isoformat(), "mortgage_registered_on": today().isoformat()},
    )
    assert mortgaged.status_code == 200 and mortgaged.json()["state"] == "completed"
    loan = (await finance.get(app_url)).json()
    assert (loan["state"], loan["mortgage_registered_on"]) == ("mortgage_registered", today().isoformat())
    # REG-3 in payroll: the 2015 scheme pays the consultant the mortgage and notary commission.
    admin = await login(stack)
    month = today().strftime("%Y-%m")
    planned = await admin.put(
        f"/api/v1/employees/{sale['consultant_no']}/plan", json={"plan_code": "seed-2015-sales", "from_month": month}
    )
    assert planned.status_code == 200, planned.text

    async def mortgage_line() -> list[dict[str, Any]] | None:
        lines = (await commissions(admin, sale["consultant_no"], month))["items"]
        return [line for line in lines if line["code"] == "mortgage_commission"] or None

    [line] = await eventually(mortgage_line)
    assert (line["amount"], line["vin"]) == ("100.00", sale["vin"]) and "REG-3" in line["rule"]
    steps = [(s["from_state"], s["to_state"]) for s in loan["steps"]]
    assert steps == [
        (None, "draft"),
        ("draft", "documents_complete"),
        ("documents_complete", "submitted"),
        ("submitted", "approved"),
        ("approved", "disbursed"),
        ("disbursed", "mortgage_registered"),
    ]

    other_no, other = await _specialist(stack)
    assert (await other.get(app_url)).status_code == 403
    mine = (await other.get("/api/v1/loan-applications", params={"order_id": order["id"]})).json()["items"]
    assert mine == [] and other_no != specialist_no


def _terms(order_id: str) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "lender": "ICBC",
        "amount": "50000.00",
        "down_payment": "70000.00",
        "term_months": 24,
        "annual_rate": "0.05",
        "handling_fee": "2000.00",
        "guarantor": {"name": "顾太太", "mobile": "13900001111", "relation": "配偶"},
    }


async def test_a_declined_loan_holds_the_car_until_the_sales_manager_lets_it_go(stack: Stack) -> None:
    sale = await _financed_order(stack, loan=None)  # quoted cash: the customer asks for a loan after all
    order, me, manager = sale["order"], sale["me"], sale["manager"]
    assert (order["financed"], order["loan_holds_handover"]) == (False, False)
    finance = stack.client(token=stack.token("finance_manager", employee_no="FM1", username="fm1"))
    lender = _lender()  # a lender of its own: the report's figures for it are this test's
    checklist = {"documents": [{"code": "id_card", "label": "身份证"}, {"code": "income", "label": "收入证明"}]}
    assert (await finance.put(f"/api/v1/loan-documents/{lender}", json=checklist)).status_code == 200
    lists = {c["lender"]: c for c in (await finance.get("/api/v1/loan-documents")).json()}
    assert [d["code"] for d in lists[lender]["documents"]] == ["id_card", "income"]
    unknown = await finance.post("/api/v1/loan-applications", json=_terms("no-such-order"))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["name"] == "order_id"

    async def opened() -> httpx.Response | None:
        response = await finance.post("/api/v1/loan-applications", json={**_terms(order["id"]), "lender": lender})
        return None if response.status_code == 422 else response  # until order.placed reached the office

    application = (await eventually(opened)).json()
    assert application["guarantor"]["relation"] == "配偶" and application["state"] == "draft"
    assert (await _order_loan(me, order["id"], "applied"))["loan_holds_handover"] is True

    app_url = f"/api/v1/loan-applications/{application['id']}"
    assert application["missing_documents"] == ["id_card", "income"]  # the lender's own checklist
    for code in ("id_card", "income"):
        await finance.put(f"{app_url}/documents/{code}", json={"received": True})
    assert (await finance.post(f"{app_url}/transitions", json={"to": "documents_complete"})).status_code == 200
    corrected = await finance.patch(app_url, json={"amount": "55000.00", "down_payment": "65000.00"})
    assert corrected.status_code == 200 and corrected.json()["amount"] == "55000.00"
    await finance.post(f"{app_url}/risk-review", json={"outcome": "pass", "notes": "ok"})
    assert (await finance.post(f"{app_url}/transitions", json={"to": "submitted"})).status_code == 200
    assert (await finance.patch(app_url, json={"amount": "1.00"})).status_code == 409  # the lender's now
    made_up = await finance.post(f"{app_url}/transitions", json={"to": "declined", "reason": "不喜欢"})
    assert made_up.status_code == 422 and made_up.json()["errors"][0]["name"] == "reason"
    code = f"no_{lender.lower()}"  # the store's own reason (the fuzz run may retire a seeded one)
    added = await finance.put(f"/api/v1/loan-decline-reasons/{code}", json={"label": "首付不足 down payment too low"})
    assert added.status_code == 200
    reasons = [r["code"] for r in (await finance.get("/api/v1/loan-decline-reasons")).json()]
    assert {"credit_record", "income_insufficient", code} <= set(reasons)
    declined = await finance.post(f"{app_url}/transitions", json={"to": "declined", "reason": code})
    assert declined.status_code == 200 and declined.json()["allowed_transitions"] == []

    await _order_loan(me, order["id"], "declined")
    handover = {"order_id": order["id"], "delivered_at": datetime.now(UTC).isoformat()}
    refused = await me.post("/api/v1/deliveries", json=handover)
    assert refused.status_code == 409 and refused.json()["loan_state"] == "declined"
    handed = await manager.post("/api/v1/deliveries", json={**handover, "loan_override_reason": "客户全款补足"})
    assert handed.status_code == 201, handed.text
    assert (handed.json()["loan"], handed.json()["loan_override_reason"]) == (None, "客户全款补足")
    plates = stack.client(token=stack.token("plate_specialist", employee_no="PL1", username="pl1"))
    registration = await _registration_of(plates, sale["vin"])
    assert (registration["financed"], registration["overdue"]) == (False, False)  # paid in full after all
    assert registration["due_on"] == (date.fromisoformat(registration["delivered_on"]) + timedelta(days=15)).isoformat()
    reg_url = f"/api/v1/registrations/{registration['id']}"
    for code in registration["missing_documents"]:
        await plates.put(f"{reg_url}/documents/{code}", json={"received": True})
    plated = await plates.post(f"{reg_url}/plate", json={"plate": plate()})
    assert plated.json()["state"] == "completed"  # nothing to mortgage
    mortgage = {"notarised_on": today().isoformat(), "mortgage_registered_on": today().isoformat()}
    assert (await plates.post(f"{reg_url}/mortgage", json=mortgage)).status_code == 409
    assert (await me.get("/api/v1/registrations", params={"vin": sale["vin"]})).status_code == 403

    week = {"from": (today() - timedelta(days=6)).isoformat(), "to": today().isoformat()}
    report = await finance.get("/api/v1/reports/loans", params=week)
    assert report.status_code == 200, report.text
    [figures] = [f for f in report.json()["by_lender"] if f["lender"] == lender]
    assert figures == {
        "lender": lender,
        "applications": 1,
        "approved": 0,
        "declined": 1,
        "approval_rate": "0.0000",
        "approved_amount": "0.00",
    }
    store = report.json()
    assert store["deliveries"] >= store["financed_deliveries"] >= 0 and store["declined"] >= 1
    backwards = await finance.get("/api/v1/reports/loans", params={"from": week["to"], "to": week["from"]})
    assert backwards.status_code == 422
    specialist = stack.client(token=stack.token("finance_specialist", employee_no="FS0", username="fs0"))
    assert (await specialist.get("/api/v1/reports/loans", params=week)).status_code == 403
