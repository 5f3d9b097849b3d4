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
LINES = [{"category": "online_ads", "amount": "400000.00"}, {"category": "offline_events", "amount": "350000.00"},
         {"category": "outdoor", "amount": "250000.00"}]  # fmt: skip


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
    too_big = await marketing.post("/api/v1/campaigns", json={"code": "MAY-BIG", "name": "x", "form": "auto_show",
                                                              "month": "2043-05", "budget": str(activity + 1)})  # fmt: skip
    assert too_big.status_code == 409 and Decimal(too_big.json()["over"]) == 1
    created = await marketing.post("/api/v1/campaigns", json={
        "code": "MAY-LAUNCH", "name": "New model launch", "form": "new_model_launch", "month": "2043-05", "budget": "10000.00",
        "plan": {"objective": ["orders", "traffic"], "theme": "new Lavida", "targets": {"leads": 200, "orders": 20}},
    })  # fmt: skip
    assert created.status_code == 201, created.text
    campaign = created.json()

    async def spend(amount: str, **extra: Any) -> Any:
        return await marketing.post(f"/api/v1/campaigns/{campaign['id']}/spends",
                                    json={"amount": amount, "description": "venue", **extra})  # fmt: skip

    results = await asyncio.gather(spend("6000.00"), spend("6000.00"))
    assert sorted(r.status_code for r in results) == [201, 409]  # concurrent spends cannot both pass
    refused = next(r for r in results if r.status_code == 409).json()
    assert (refused["limit"], refused["used"], refused["asked"]) == ("10000.00", "6000.00", "6000.00")
    assert (await spend("5000.00", approve_overrun=True)).status_code == 403  # marketing cannot approve it
    admin = await login(stack)
    approved = await admin.post(f"/api/v1/campaigns/{campaign['id']}/spends",
                                json={"amount": "5000.00", "description": "extra stage", "approve_overrun": True})  # fmt: skip
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
    created = await marketing.post("/api/v1/campaigns", json={"code": "ATTR-2047", "name": "club day", "form": "car_club",
                                                              "month": "2047-03", "budget": "6000.00"})  # fmt: skip
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
    sale = delivery(consultant, customer={"name": "客户", "mobile": numbers[0]}, delivered_at=datetime.now(UTC).isoformat(),
                    price="150000.00")  # fmt: skip
    assert (await admin.post("/api/v1/deliveries", json=sale)).status_code == 201

    async def figures() -> dict[str, Any] | None:
        items = (await marketing.get("/api/v1/reports/attribution", params={"month": "2047-03"})).json()["items"]
        row = next((i for i in items if i["campaign_code"] == "ATTR-2047"), None)
        return row if row and row["leads"] == 3 and row["deliveries"] == 1 else None

    row = await eventually(figures)
    assert (row["spend"], row["cost_per_lead"], row["cost_per_sale"]) == ("3000.00", "1000.00", "3000.00")
    assert row["revenue"] == "150000.00" and row["roi"] == "49.0000"
