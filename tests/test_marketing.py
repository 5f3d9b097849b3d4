"""The annual budget from draft to GM approval, its monthly split, campaigns and spend control."""

import asyncio
from decimal import Decimal
from typing import Any

from fours_devstack.testing import Stack
from test_first_flow import login

HISTORY = [
    [31, 28, 45, 40, 52, 47, 39, 41, 60, 55, 50, 72],
    [29, 25, 48, 44, 50, 49, 41, 38, 63, 58, 54, 80],
    [35, 30, 41, 46, 55, 44, 40, 43, 66, 61, 57, 77],
]
LINES = [
    {"category": "online_ads", "amount": "400000.00"},
    {"category": "offline_events", "amount": "350000.00"},
    {"category": "outdoor", "amount": "250000.00"},
]


async def _approved_budget(stack: Stack, year: int) -> Any:
    marketing = stack.client(token=stack.token("marketing_manager", employee_no="MK9", username="mk"))
    for back, months in zip((3, 2, 1), HISTORY, strict=True):
        assert (await marketing.put(f"/api/v1/sales-history/{year - back}", json={"months": months})).status_code == 200
    draft = await marketing.put(f"/api/v1/budgets/{year}", json={"lines": LINES, "last_year_actual": "910000.00"})
    assert draft.status_code == 200 and draft.json()["annual"] == "1000000.00"
    assert (await marketing.post(f"/api/v1/budgets/{year}/monthly-split")).status_code == 409  # not approved yet
    assert (await marketing.post(f"/api/v1/budgets/{year}/submit")).json()["state"] == "submitted"
    assert (await marketing.post(f"/api/v1/budgets/{year}/approve")).status_code == 403  # only the GM
    admin = await login(stack)
    assert (await admin.post(f"/api/v1/budgets/{year}/approve")).json()["state"] == "approved"
    assert (await marketing.put(f"/api/v1/budgets/{year}", json={"lines": LINES})).status_code == 409
    return marketing


async def test_approved_million_splits_by_three_years_of_sales_exactly(stack: Stack) -> None:
    year = 2039
    marketing = await _approved_budget(stack, year)
    split = (await marketing.post(f"/api/v1/budgets/{year}/monthly-split")).json()
    amounts = [Decimal(m["amount"]) for m in split["months"]]
    assert split["based_on"] == [2036, 2037, 2038] and sum(amounts) == Decimal("1000000")
    assert split["months"][0]["month"] == "2039-01"
    assert all(Decimal(m["fixed"]) + Decimal(m["activity"]) == Decimal(m["amount"]) for m in split["months"])
    what_if = (await marketing.post(f"/api/v1/budgets/{year}/monthly-split", json={"annual": "1200000.00"})).json()
    assert sum(Decimal(m["amount"]) for m in what_if["months"]) == Decimal("1200000")
    none = await marketing.post("/api/v1/budgets/2001/monthly-split", json={"annual": "1000.00"})
    assert none.status_code == 422  # no sales history for 1998-2000


async def test_campaign_budget_and_spend_never_pass_the_limit_unless_the_gm_approves(stack: Stack) -> None:
    year = 2043
    marketing = await _approved_budget(stack, year)
    split = (await marketing.post(f"/api/v1/budgets/{year}/monthly-split")).json()
    may = next(m for m in split["months"] if m["month"] == "2043-05")
    activity = Decimal(may["activity"])
    too_big = await marketing.post(
        "/api/v1/campaigns",
        json={"code": "MAY-BIG", "name": "x", "form": "auto_show", "month": "2043-05", "budget": str(activity + 1)},
    )
    assert too_big.status_code == 409 and Decimal(too_big.json()["over"]) == 1
    created = await marketing.post(
        "/api/v1/campaigns",
        json={
            "code": "MAY-LAUNCH",
            "name": "New model launch",
            "form": "new_model_launch",
            "month": "2043-05",
            "budget": "10000.00",
            "plan": {
                "objective": ["orders", "traffic"],
                "theme": "new Lavida",
                "targets": {"leads": 200, "orders": 20},
            },
        },
    )
    assert created.status_code == 201, created.text
    campaign = created.json()

    async def spend(amount: str, **extra: Any) -> Any:
        return await marketing.post(
            f"/api/v1/campaigns/{campaign['id']}/spends", json={"amount": amount, "description": "venue", **extra}
        )

    results = await asyncio.gather(spend("6000.00"), spend("6000.00"))
    assert sorted(r.status_code for r in results) == [201, 409]  # concurrent spends cannot both pass
    refused = next(r for r in results if r.status_code == 409).json()
    assert (refused["limit"], refused["used"], refused["asked"]) == ("10000.00", "6000.00", "6000.00")
    assert (await spend("5000.00", approve_overrun=True)).status_code == 403  # marketing cannot approve it
    admin = await login(stack)
    approved = await admin.post(
        f"/api/v1/campaigns/{campaign['id']}/spends",
        json={"amount": "5000.00", "description": "extra stage", "approve_overrun": True},
    )
    assert approved.status_code == 201
    view = approved.json()
    assert view["spent"] == "11000.00" and view["remaining"] == "-1000.00"
    assert [s["overrun_approved_by"] for s in view["spends"]] == [None, "admin"]


async def test_sales_history_is_counted_from_deliveries_until_entered(stack: Stack) -> None:
    from factories import delivery, employee
    from fours_devstack.testing import eventually
    from test_first_flow import hired, known_to_leads

    admin = await login(stack)
    consultant = (await hired(admin, **employee()))["employee_no"]
    await known_to_leads(admin, consultant)
    for day in (3, 4):
        body = delivery(consultant, delivered_at=f"2033-02-{day:02d}T10:00:00+08:00")
        assert (await admin.post("/api/v1/deliveries", json=body)).status_code == 201

    async def counted() -> dict[str, Any] | None:
        history = (await admin.get("/api/v1/sales-history/2033")).json()
        return history if history["months"][1] == 2 else None

    history = await eventually(counted)
    assert history["source"] == "counted from deliveries"
    entered = (await admin.put("/api/v1/sales-history/2033", json={"months": [5] * 12})).json()
    assert entered["months"][1] == 5 and entered["source"] == "entered"


async def test_attribution_counts_leads_and_sales_per_campaign_with_their_costs(stack: Stack) -> None:
    from datetime import UTC, datetime

    from factories import delivery, employee, mobile
    from fours_devstack.testing import eventually
    from test_first_flow import hired, known_to_leads

    marketing = await _approved_budget(stack, 2047)
    created = await marketing.post(
        "/api/v1/campaigns",
        json={"code": "ATTR-2047", "name": "club day", "form": "car_club", "month": "2047-03", "budget": "6000.00"},
    )
    campaign = created.json()
    await marketing.post(
        f"/api/v1/campaigns/{campaign['id']}/spends", json={"amount": "3000.00", "description": "venue"}
    )
    admin = await login(stack)
    consultant = (await hired(admin, **employee()))["employee_no"]
    await known_to_leads(admin, consultant)
    numbers = [mobile() for _ in range(3)]
    for number in numbers:
        lead = {
            "customer": {"name": "客户", "mobile": number},
            "source": "campaign_event",
            "campaign_code": "ATTR-2047",
        }
        assert (await admin.post("/api/v1/leads", json=lead)).status_code == 201
    sale = delivery(
        consultant,
        customer={"name": "客户", "mobile": numbers[0]},
        delivered_at=datetime.now(UTC).isoformat(),
        price="150000.00",
    )
    assert (await admin.post("/api/v1/deliveries", json=sale)).status_code == 201

    async def figures() -> dict[str, Any] | None:
        items = (await marketing.get("/api/v1/reports/attribution", params={"month": "2047-03"})).json()["items"]
        row = next((i for i in items if i["campaign_code"] == "ATTR-2047"), None)
        return row if row and row["leads"] == 3 and row["deliveries"] == 1 else None

    row = await eventually(figures)
    assert (row["spend"], row["cost_per_lead"], row["cost_per_sale"]) == ("3000.00", "1000.00", "3000.00")
    assert row["revenue"] == "150000.00" and row["roi"] == "49.0000"


async def test_a_manual_split_keeps_the_year_s_total_and_fixed_spend_is_controlled(stack: Stack) -> None:
    year = 2051
    marketing = await _approved_budget(stack, year)
    rule = (await marketing.post(f"/api/v1/budgets/{year}/monthly-split")).json()
    amounts = [Decimal(m["amount"]) for m in rule["months"]]
    moved = [*amounts]
    moved[4], moved[5] = moved[4] + 20000, moved[5] - 20000  # May's launch takes 20,000 from June
    body = {
        "months": [{"month": f"{year}-{n:02d}", "amount": str(a)} for n, a in enumerate(moved, start=1)],
        "reason": "new model launch in May",
    }
    wrong = {**body, "months": [*body["months"][:11], {"month": f"{year}-12", "amount": str(moved[11] + 1)}]}
    refused = await marketing.put(f"/api/v1/budgets/{year}/monthly-split", json=wrong)
    assert refused.status_code == 422 and refused.json()["given"] == "1000001"
    overridden = await marketing.put(f"/api/v1/budgets/{year}/monthly-split", json=body)
    assert overridden.status_code == 200, overridden.text
    split = overridden.json()
    assert split["overridden"] is True and split["moved_total"] == "20000"
    assert [Decimal(m["moved"]) for m in split["months"][4:6]] == [Decimal(20000), Decimal(-20000)]
    assert sum(Decimal(m["amount"]) for m in split["months"]) == Decimal("1000000")
    assert (await marketing.post(f"/api/v1/budgets/{year}/monthly-split")).json()["months"][4]["amount"] == str(
        moved[4]
    )

    june_fixed = Decimal(split["months"][5]["fixed"])
    ok = await marketing.post(
        "/api/v1/fixed-spends",
        json={
            "month": f"{year}-06",
            "amount": str(june_fixed - 100),
            "description": "showroom flowers and media retainers",
        },
    )
    assert ok.status_code == 201 and ok.json()["remaining"] == "100.00"
    over = await marketing.post(
        "/api/v1/fixed-spends", json={"month": f"{year}-06", "amount": "500.00", "description": "x"}
    )
    assert over.status_code == 409 and (over.json()["used"], over.json()["asked"]) == (
        str(june_fixed - 100) + ".00",
        "500.00",
    )
    admin = await login(stack)
    allowed = await admin.post(
        "/api/v1/fixed-spends",
        json={"month": f"{year}-06", "amount": "500.00", "description": "x", "approve_overrun": True},
    )
    assert allowed.status_code == 201 and allowed.json()["remaining"] == "-400.00"
    back = await marketing.delete(f"/api/v1/budgets/{year}/monthly-split")
    assert back.json()["overridden"] is False and back.json()["months"][4]["amount"] == str(amounts[4])


async def test_advertising_records_and_the_soft_article_calendar(stack: Stack) -> None:
    marketing = stack.client(token=stack.token("marketing_staff", employee_no="MK8", username="online"))
    ad = {
        "title": "新朗逸上市",
        "medium": "newspaper",
        "purpose": "product",
        "nature": "hard_ad",
        "outlet": "苏州日报",
        "start_date": "2052-03-01",
        "end_date": "2052-03-07",
        "cost": "12000.00",
    }
    assert (await marketing.post("/api/v1/ads", json=ad)).status_code == 201
    assert (
        await marketing.post(
            "/api/v1/ads",
            json={**ad, "medium": "online", "nature": "soft_article", "cost": "800.00", "outlet": "autohome"},
        )
    ).status_code == 201
    assert (await marketing.post("/api/v1/ads", json={**ad, "end_date": "2052-02-01"})).status_code == 422
    listed = (await marketing.get("/api/v1/ads", params={"from": "2052-03-01", "to": "2052-03-31"})).json()
    assert listed["cost"] == "12800.00" and listed["cost_by"]["nature"] == {
        "hard_ad": "12000.00",
        "soft_article": "800.00",
    }
    for day in ("01", "03", "04", "08"):
        article = {"portal": "autohome", "title": f"试驾 {day}", "published_on": f"2052-03-{day}"}
        assert (await marketing.post("/api/v1/soft-articles", json=article)).status_code == 201
    check = (
        await marketing.get(
            "/api/v1/soft-articles/check",
            params={"from": "2052-03-01", "to": "2052-03-08", "portal": ["autohome", "yiche"]},
        )
    ).json()
    autohome, yiche = check["portals"]
    assert autohome["gaps"] == [{"from": "2052-03-05", "to": "2052-03-07"}] and autohome["articles"] == 4
    assert yiche["gaps"] == [{"from": "2052-03-01", "to": "2052-03-08"}] and check["ok"] is False
    sales = stack.client(token=stack.token("sales_consultant", employee_no="S1"))
    assert (await sales.post("/api/v1/ads", json=ad)).status_code == 403


async def test_a_campaign_review_weighs_targets_against_what_the_events_brought_and_the_oem_gets_its_report(
    stack: Stack,
) -> None:
    from datetime import UTC, datetime

    from factories import mobile
    from fours_devstack.testing import eventually
    from marketing.oem import service as oem
    from servicekit.scheduler import Scheduler

    year = 2053
    marketing = await _approved_budget(stack, year)
    plan = {"theme": "club day", "targets": {"leads": 2, "orders": 1, "deliveries": 1}}
    campaign = (
        await marketing.post(
            "/api/v1/campaigns",
            json={
                "code": "REV-2053",
                "name": "club day",
                "form": "car_club",
                "month": "2053-04",
                "budget": "8000.00",
                "plan": plan,
            },
        )
    ).json()
    await marketing.post(
        "/api/v1/campaigns",
        json={
            "code": "NEXT-2053",
            "name": "May launch",
            "form": "new_model_launch",
            "month": "2053-05",
            "budget": "9000.00",
        },
    )
    await marketing.post(
        f"/api/v1/campaigns/{campaign['id']}/spends", json={"amount": "4000.00", "description": "venue"}
    )
    admin = await login(stack)
    leads = []
    for _ in range(3):
        created = await admin.post(
            "/api/v1/leads",
            json={
                "customer": {"name": "客户", "mobile": mobile()},
                "source": "campaign_event",
                "campaign_code": "REV-2053",
                "channel": "club-2053",
            },
        )
        leads.append(created.json())
    visit = {"customer_id": leads[1]["customer_id"], "at": datetime.now(UTC).isoformat(), "received_by": "MK-S1"}
    assert (await admin.post("/api/v1/visits", json=visit)).status_code == 201
    quote = await admin.post(
        "/api/v1/quotes",
        json={
            "customer_id": leads[0]["customer_id"],
            "lead_id": leads[0]["lead_id"],
            "consultant_no": "MK-S1",
            "model": "Lavida",
            "grade": "A",
            "list_price": "129800.00",
            "price": "120000.00",
            "floor_price": "118000.00",
        },
    )
    await admin.post(f"/api/v1/quotes/{quote.json()['id']}/transitions", json={"to": "accepted"})
    assert (
        await admin.post("/api/v1/orders", json={"quote_id": quote.json()["id"], "deposit": "5000.00"})
    ).status_code == 201

    async def counted() -> dict[str, Any] | None:
        review = (await marketing.get(f"/api/v1/campaigns/{campaign['id']}/review")).json()
        return review if review["actuals"] == {"leads": 3, "visits": 1, "orders": 1, "deliveries": 0} else None

    review = await eventually(counted)
    assert review["targets"]["leads"] == {"target": 2, "actual": 3, "met": True}
    assert review["targets"]["deliveries"]["met"] is False and review["cost_per_lead"] == "1333.33"
    assert "analysis" in review["missing"]
    partial = await marketing.put(
        f"/api/v1/campaigns/{campaign['id']}/review",
        json={"answers": {"owners_clear": True}, "analysis": "three leads"},
    )
    assert partial.json()["missing"] == [
        "stage_targets_met",
        "handoffs_smooth",
        "spend_reasonable",
        "effect_evaluated",
        "summary",
    ]
    done = await marketing.put(
        f"/api/v1/campaigns/{campaign['id']}/review",
        json={
            "answers": {
                "owners_clear": True,
                "stage_targets_met": False,
                "handoffs_smooth": True,
                "spend_reasonable": True,
                "effect_evaluated": True,
            },
            "analysis": "three leads, one order",
            "summary": "repeat with test drives",
        },
    )
    assert done.json()["missing"] == [] and done.json()["reviewed_by"] == "mk"

    report = (await marketing.get("/api/v1/reports/oem", params={"month": "2053-04"})).json()
    [row] = [c for c in report["summary"]["campaigns"] if c["campaign_code"] == "REV-2053"]
    assert (row["leads"], row["visits"], row["orders"], row["spend"]) == (3, 1, 1, "4000.00")
    from servicekit.calendar import business_date

    this_month = business_date(datetime.now(UTC)).strftime("%Y-%m")
    channels = (await marketing.get("/api/v1/reports/attribution/channels", params={"month": this_month})).json()[
        "items"
    ]
    [club] = [c for c in channels if c["channel"] == "club-2053"]
    assert (club["leads"], club["visits"], club["orders"]) == (3, 1, 1)
    assert report["plan"]["month"] == "2053-05" and [c["code"] for c in report["plan"]["campaigns"]] == ["NEXT-2053"]
    assert (await marketing.get("/api/v1/reports/oem/sent", params={"month": "2053-04"})).status_code == 409
    kit = stack.kit("marketing")
    send_at = datetime(2053, 4, 25, 1, tzinfo=UTC)  # 09:00 in Shanghai
    async with kit.db.transaction() as session:
        await oem.MONTHLY.plan_after(session, datetime(2053, 4, 20, tzinfo=UTC))
    await Scheduler(kit.db, {oem.MONTHLY.kind: oem.MONTHLY.handle}).run_due(now=send_at)
    sent = (await marketing.get("/api/v1/reports/oem/sent", params={"month": "2053-04"})).json()
    assert sent["content"]["plan"]["month"] == "2053-05"
