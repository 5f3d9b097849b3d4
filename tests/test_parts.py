"""The parts department through the gateway: the catalogue, purchase orders and receipts, repair
orders reserving and issuing stock (and waiting for it), counter sales, and the ledger behind all."""

import asyncio
import uuid
from typing import Any

from fours_devstack.testing import Stack
from test_repair_orders import _advisor, _car, _opened


def _part_no() -> str:
    return f"P{uuid.uuid4().hex[:10].upper()}"


def _part(**over: Any) -> dict[str, Any]:
    return {
        "name": "机油滤清器 oil filter",
        "category": "part",
        "unit": "piece",
        "price": "85.50",
        "cost": "60.00",
        "min_qty": "2",
        "max_qty": "10",
        "bin": "A-01-3",
        **over,
    }


def _parts_manager(stack: Stack) -> Any:
    return stack.client(token=stack.token("parts_manager", employee_no="PM001", username="parts-manager"))


async def _stocked(stack: Stack, quantity: int, **over: Any) -> str:
    """A part with ``quantity`` on the shelf, received on a purchase order at its cost."""
    parts = _parts_manager(stack)
    part_no = _part_no()
    assert (await parts.put(f"/api/v1/parts/{part_no}", json=_part(**over))).status_code == 201
    if quantity:
        po = (
            await parts.post(
                "/api/v1/purchase-orders",
                json={"supplier": "配件中心", "lines": [{"part_no": part_no, "qty": quantity}]},
            )
        ).json()
        await parts.post(f"/api/v1/purchase-orders/{po['id']}/transitions", json={"to": "submitted"})
        received = await parts.post(
            f"/api/v1/purchase-orders/{po['id']}/receipts", json={"lines": [{"part_no": part_no, "qty": quantity}]}
        )
        assert received.status_code == 200, received.text
    return part_no


async def test_the_catalogue_and_its_stock_figures(stack: Stack) -> None:
    parts = _parts_manager(stack)
    part_no = _part_no()
    created = await parts.put(f"/api/v1/parts/{part_no}", json=_part())
    assert created.status_code == 201, created.text
    assert {k: created.json()[k] for k in ("on_hand", "reserved", "available", "on_order", "avg_cost")} == {
        "on_hand": "0.00",
        "reserved": "0.00",
        "available": "0.00",
        "on_order": "0.00",
        "avg_cost": "0.0000",
    }
    changed = await parts.put(f"/api/v1/parts/{part_no}", json=_part(price="88.00"))
    assert (changed.status_code, changed.json()["price"], changed.json()["version"]) == (200, "88.00", 2)

    found = await parts.get("/api/v1/parts", params={"q": "oil filter", "below_min": "true"})
    assert part_no in [p["part_no"] for p in found.json()["items"]]
    assert (await parts.get(f"/api/v1/parts/{_part_no()}")).status_code == 404
    bad = await parts.put(f"/api/v1/parts/{part_no}", json=_part(min_qty="5", max_qty="3"))
    assert (bad.status_code, bad.json()["errors"][0]["name"]) == (422, "max_qty")
    halves = await parts.put(f"/api/v1/parts/{part_no}", json=_part(min_qty="1.5"))
    assert halves.status_code == 422 and halves.headers["content-type"].startswith("application/problem+json")

    suggested = {s["part_no"]: s for s in (await parts.get("/api/v1/parts/reorder-suggestions")).json()}
    assert (suggested[part_no]["suggested_qty"], suggested[part_no]["reason"]) == ("10.00", "below_min")


async def test_purchase_order_from_draft_to_received_averages_the_cost(stack: Stack) -> None:
    parts = _parts_manager(stack)
    part_no = await _stocked(stack, 10)  # 10 at 60.00
    po = (
        await parts.post(
            "/api/v1/purchase-orders",
            json={
                "supplier": "主机厂配件中心",
                "kind": "stock",
                "lines": [{"part_no": part_no, "qty": "5", "unit_cost": "66.00"}],
            },
        )
    ).json()
    assert (po["state"], po["allowed_transitions"], po["total_cost"]) == ("draft", ["cancelled", "submitted"], "330.00")
    early = await parts.post(
        f"/api/v1/purchase-orders/{po['id']}/receipts", json={"lines": [{"part_no": part_no, "qty": "1"}]}
    )
    assert early.status_code == 409, early.text  # not submitted yet

    submitted = await parts.post(f"/api/v1/purchase-orders/{po['id']}/transitions", json={"to": "submitted"})
    assert submitted.json()["state"] == "submitted"
    assert (await parts.get(f"/api/v1/parts/{part_no}")).json()["on_order"] == "5.00"

    receipt = {"lines": [{"part_no": part_no, "qty": "2"}]}
    first = await parts.post(
        f"/api/v1/purchase-orders/{po['id']}/receipts", json=receipt, headers={"Idempotency-Key": "r-1"}
    )
    again = await parts.post(
        f"/api/v1/purchase-orders/{po['id']}/receipts", json=receipt, headers={"Idempotency-Key": "r-1"}
    )
    assert first.json() == again.json() and first.json()["state"] == "partly_received"
    part = (await parts.get(f"/api/v1/parts/{part_no}")).json()
    assert (part["on_hand"], part["on_order"], part["avg_cost"]) == ("12.00", "3.00", "61.0000")  # (10×60 + 2×66) / 12

    over = await parts.post(
        f"/api/v1/purchase-orders/{po['id']}/receipts", json={"lines": [{"part_no": part_no, "qty": "4"}]}
    )
    assert over.status_code == 409 and "still open" in over.json()["detail"]
    cancelled = await parts.post(f"/api/v1/purchase-orders/{po['id']}/transitions", json={"to": "cancelled"})
    assert cancelled.json()["state"] == "cancelled"
    assert (await parts.get(f"/api/v1/parts/{part_no}")).json()["on_order"] == "0.00"
    late = await parts.post(
        f"/api/v1/purchase-orders/{po['id']}/receipts", json={"lines": [{"part_no": part_no, "qty": "1"}]}
    )
    assert late.status_code == 409

    kinds = [m["kind"] for m in (await parts.get(f"/api/v1/parts/{part_no}/movements")).json()["items"]]
    assert kinds == ["receipt", "receipt"]  # the repeated receipt booked nothing


async def test_a_repair_order_reserves_waits_and_issues_at_handover(stack: Stack) -> None:
    admin, advisor_no = await _advisor(stack)
    car = await _car(admin)
    api = stack.client(token=stack.token("service_advisor", employee_no=advisor_no, username="advisor"))
    parts = _parts_manager(stack)
    filter_no = await _stocked(stack, 1)
    oil_no = await _stocked(
        stack, 0, name="全合成机油 1L", category="maintenance_product", unit="bottle", price="45.00"
    )
    order = await _opened(api, car, advisor_no)
    lines = f"/api/v1/repair-orders/{order['id']}/lines"

    reserved = await api.post(lines, json={"kind": "part", "part_no": filter_no, "quantity": "1"})
    assert reserved.status_code == 201, reserved.text
    line = reserved.json()["lines"][0]
    assert (line["stock_state"], line["description"], line["unit_price"], line["unit_cost"]) == (
        "reserved",
        "机油滤清器 oil filter",
        "85.50",
        "60.00",
    )
    refused = await api.post(lines, json={"kind": "part", "part_no": filter_no, "quantity": "1", "require_stock": True})
    assert refused.status_code == 409
    assert (refused.json()["reason"], refused.json()["available"]) == ("insufficient_stock", "0.00")
    wrong_kind = await api.post(lines, json={"kind": "part", "part_no": oil_no, "quantity": "4"})
    assert (wrong_kind.status_code, wrong_kind.json()["errors"][0]["name"]) == (422, "part_no")
    waiting = await api.post(lines, json={"kind": "product", "part_no": oil_no, "quantity": "4"})
    assert waiting.json()["lines"][1]["stock_state"] == "waiting_parts"
    assert (await api.get(f"/api/v1/parts/{oil_no}")).json()["waiting"] == "4.00"

    for to in ("in_progress", "quality_check"):
        moved = await api.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to})
    assert moved.status_code == 409 and moved.json()["waiting_for"] == [oil_no]

    emergency = (
        await parts.post(
            "/api/v1/purchase-orders",
            json={
                "supplier": "配件中心",
                "kind": "emergency",
                "lines": [{"part_no": oil_no, "qty": "6", "unit_cost": "30.00"}],
            },
        )
    ).json()
    await parts.post(f"/api/v1/purchase-orders/{emergency['id']}/transitions", json={"to": "submitted"})
    await parts.post(
        f"/api/v1/purchase-orders/{emergency['id']}/receipts", json={"lines": [{"part_no": oil_no, "qty": "6"}]}
    )
    served = (await api.get(f"/api/v1/repair-orders/{order['id']}")).json()
    assert [line["stock_state"] for line in served["lines"]] == ["reserved", "reserved"]

    for to in ("quality_check", "ready"):
        moved = await api.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to})
        assert moved.status_code == 200, moved.text
    handed = await api.post(
        f"/api/v1/repair-orders/{order['id']}/handover", json={"handed_over_at": "2026-11-20T17:00:00+08:00"}
    )
    assert handed.status_code == 200, handed.text
    assert [line["stock_state"] for line in handed.json()["lines"]] == ["issued", "issued"]
    assert handed.json()["totals"]["parts_cost"] == "60.00" and handed.json()["totals"]["product_bottles"] == 4

    oil = (await parts.get(f"/api/v1/parts/{oil_no}")).json()
    assert (oil["on_hand"], oil["reserved"], oil["available"], oil["waiting"]) == ("2.00", "0.00", "2.00", "0.00")
    ledger = (await parts.get(f"/api/v1/parts/{oil_no}/movements")).json()["items"]
    assert [(m["kind"], m["source_kind"], m["source_id"]) for m in ledger[:2]] == [
        ("issue", "repair_order", order["id"]),
        ("reservation", "repair_order", order["id"]),
    ]


async def test_a_removed_line_gives_its_part_back(stack: Stack) -> None:
    admin, advisor_no = await _advisor(stack)
    car = await _car(admin)
    api = stack.client(token=stack.token("service_advisor", employee_no=advisor_no, username="advisor"))
    part_no = await _stocked(stack, 2)
    order = await _opened(api, car, advisor_no)
    added = (
        await api.post(
            f"/api/v1/repair-orders/{order['id']}/lines", json={"kind": "part", "part_no": part_no, "quantity": "2"}
        )
    ).json()
    assert (await api.get(f"/api/v1/parts/{part_no}")).json()["available"] == "0.00"
    removed = await api.delete(f"/api/v1/repair-orders/{order['id']}/lines/{added['lines'][0]['id']}")
    assert removed.status_code == 200 and removed.json()["lines"] == []
    assert (await api.get(f"/api/v1/parts/{part_no}")).json()["available"] == "2.00"
    halves = await api.post(
        f"/api/v1/repair-orders/{order['id']}/lines", json={"kind": "part", "part_no": part_no, "quantity": "0.5"}
    )
    assert (halves.status_code, halves.json()["errors"][0]["name"]) == (422, "quantity")
    unknown = await api.post(
        f"/api/v1/repair-orders/{order['id']}/lines", json={"kind": "part", "part_no": _part_no(), "quantity": "1"}
    )
    assert (unknown.status_code, unknown.json()["errors"][0]["name"]) == (422, "part_no")


async def test_two_advisors_asking_for_the_last_unit_never_both_get_it(stack: Stack) -> None:
    admin, advisor_no = await _advisor(stack)
    api = stack.client(token=stack.token("service_advisor", employee_no=advisor_no, username="advisor"))
    part_no = await _stocked(stack, 1)
    orders = [await _opened(api, await _car(admin), advisor_no) for _ in range(6)]

    async def ask(order: dict[str, Any]) -> Any:
        line = {"kind": "part", "part_no": part_no, "quantity": "1", "require_stock": True}
        return await api.post(f"/api/v1/repair-orders/{order['id']}/lines", json=line)

    answers = await asyncio.gather(*(ask(order) for order in orders))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 5, [a.text for a in answers]
    part = (await api.get(f"/api/v1/parts/{part_no}")).json()
    assert (part["on_hand"], part["reserved"], part["available"]) == ("1.00", "1.00", "0.00")


async def test_a_counter_sale_is_whole_or_nothing(stack: Stack) -> None:
    parts = _parts_manager(stack)
    plenty, scarce = await _stocked(stack, 5), await _stocked(stack, 1)
    sale = {"buyer": "路边快修店", "lines": [{"part_no": plenty, "qty": "2"}, {"part_no": scarce, "qty": "3"}]}
    refused = await parts.post("/api/v1/parts-sales", json=sale)
    assert refused.status_code == 409 and refused.json()["reason"] == "insufficient_stock"
    assert (await parts.get(f"/api/v1/parts/{plenty}")).json()["on_hand"] == "5.00"  # nothing half-written

    sale["lines"][1]["qty"] = "1"
    sold = await parts.post("/api/v1/parts-sales", json=sale, headers={"Idempotency-Key": "sale-1"})
    again = await parts.post("/api/v1/parts-sales", json=sale, headers={"Idempotency-Key": "sale-1"})
    assert sold.status_code == 201, sold.text
    assert again.json() == sold.json()
    assert (sold.json()["amount"], sold.json()["cost"], sold.json()["margin"]) == ("256.50", "180.00", "76.50")
    assert (await parts.get(f"/api/v1/parts/{plenty}")).json()["on_hand"] == "3.00"
    assert (await parts.get(f"/api/v1/parts-sales/{sold.json()['id']}")).json() == sold.json()


async def test_a_stock_count_books_its_variances_only_when_approved(stack: Stack) -> None:
    parts = _parts_manager(stack)
    keeper = stack.client(token=stack.token("warehouse_keeper", employee_no="WK001", username="keeper"))
    short, found = await _stocked(stack, 5), await _stocked(stack, 2)
    counted = await keeper.post(
        "/api/v1/stock-counts", json={"lines": [{"part_no": short, "counted": "3"}, {"part_no": found, "counted": "3"}]}
    )
    assert counted.status_code == 201, counted.text
    by_part = {line["part_no"]: line for line in counted.json()["lines"]}
    assert (by_part[short]["variance"], by_part[short]["variance_value"]) == ("-2.00", "-120.00")
    assert (by_part[found]["variance"], counted.json()["variance_value"]) == ("1.00", "-60.00")
    assert (await parts.get(f"/api/v1/parts/{short}")).json()["on_hand"] == "5.00"  # nothing booked yet

    not_theirs = await keeper.post(f"/api/v1/stock-counts/{counted.json()['id']}/transitions", json={"to": "approved"})
    assert not_theirs.status_code == 403
    approved = await parts.post(f"/api/v1/stock-counts/{counted.json()['id']}/transitions", json={"to": "approved"})
    assert (approved.status_code, approved.json()["state"]) == (200, "approved")
    assert (await parts.get(f"/api/v1/parts/{short}")).json()["on_hand"] == "3.00"
    assert (await parts.get(f"/api/v1/parts/{found}")).json()["on_hand"] == "3.00"
    twice = await parts.post(f"/api/v1/stock-counts/{counted.json()['id']}/transitions", json={"to": "approved"})
    assert twice.status_code == 409
    ledger = (await parts.get(f"/api/v1/parts/{short}/movements")).json()["items"]
    assert (ledger[0]["kind"], ledger[0]["quantity"], ledger[0]["source_kind"]) == (
        "adjustment",
        "-2.00",
        "stock_count",
    )


async def test_the_counter_and_the_counts_are_listed_newest_first(stack: Stack) -> None:
    from datetime import UTC, datetime, timedelta

    from servicekit.calendar import business_date

    parts = _parts_manager(stack)
    part_no = await _stocked(stack, 6)
    sold = []
    for buyer in ("张师傅", "城东快修"):
        sale = {"buyer": buyer, "lines": [{"part_no": part_no, "qty": "1"}]}
        made = await parts.post("/api/v1/parts-sales", json=sale)
        assert made.status_code == 201, made.text
        sold.append(made.json()["id"])
    today = business_date(datetime.now(UTC))
    listed = await parts.get("/api/v1/parts-sales", params={"from": today.isoformat(), "to": today.isoformat()})
    assert listed.status_code == 200, listed.text
    ids = [sale["id"] for sale in listed.json()["items"]]
    assert ids.index(sold[1]) < ids.index(sold[0])  # newest first
    assert listed.json()["items"][ids.index(sold[0])]["buyer"] == "张师傅"
    first = await parts.get("/api/v1/parts-sales", params={"from": today.isoformat(), "limit": 1})
    after = await parts.get("/api/v1/parts-sales", params={"limit": 1, "cursor": first.json()["next_cursor"]})
    assert first.json()["items"][0]["id"] != after.json()["items"][0]["id"]
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert (await parts.get("/api/v1/parts-sales", params={"from": tomorrow})).json()["items"] == []
    backwards = await parts.get("/api/v1/parts-sales", params={"from": tomorrow, "to": today.isoformat()})
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["name"] == "to"

    counted = await parts.post("/api/v1/stock-counts", json={"lines": [{"part_no": part_no, "counted": "4"}]})
    assert counted.status_code == 201, counted.text
    waiting = (await parts.get("/api/v1/stock-counts", params={"state": "counted"})).json()["items"]
    assert waiting[0]["id"] == counted.json()["id"] and waiting[0]["lines"][0]["variance"] == "0.00"
    await parts.post(f"/api/v1/stock-counts/{counted.json()['id']}/transitions", json={"to": "rejected"})
    waiting = (await parts.get("/api/v1/stock-counts", params={"state": "counted"})).json()["items"]
    assert counted.json()["id"] not in [c["id"] for c in waiting]
    keeper = stack.client(token=stack.token("sales_consultant", employee_no="SC-NOPARTS", username="sc-noparts"))
    assert (await keeper.get("/api/v1/stock-counts")).status_code == 403


async def test_the_parts_report_moves_with_the_work(stack: Stack) -> None:
    from datetime import UTC, datetime

    admin, advisor_no = await _advisor(stack)
    car = await _car(admin)
    api = stack.client(token=stack.token("service_advisor", employee_no=advisor_no, username="advisor"))
    manager = stack.client(token=stack.token("service_manager", employee_no="SM001", username="service-manager"))
    month = datetime.now(UTC).strftime("%Y-%m")
    before = (await manager.get("/api/v1/reports/parts", params={"month": month})).json()

    stocked, scarce = await _stocked(stack, 4), await _stocked(stack, 0)
    order = await _opened(api, car, advisor_no, opened_at=datetime.now(UTC).isoformat())
    for part_no in (stocked, scarce):
        await api.post(
            f"/api/v1/repair-orders/{order['id']}/lines", json={"kind": "part", "part_no": part_no, "quantity": "1"}
        )
    after = (await manager.get("/api/v1/reports/parts", params={"month": month})).json()
    assert after["lines_asked"] == before["lines_asked"] + 2
    assert after["lines_served_at_once"] == before["lines_served_at_once"] + 1
    assert after["stock_value"] != before["stock_value"]
    assert {s["category"] for s in after["sales"]} == {"part", "maintenance_product", "accessory"}
    assert (await api.get("/api/v1/reports/parts", params={"month": month})).status_code == 403


async def test_payroll_s_parts_pool_is_the_month_s_real_sales(stack: Stack) -> None:
    """Done when: stock received, used on a repair order and sold over the counter; the parts manager's
    share of the pool (PAY-10) is computed from those sales, not from figures typed in."""
    from decimal import Decimal

    from factories import employee
    from fours_devstack.testing import eventually
    from test_first_flow import hired

    month = "2033-04"
    admin, advisor_no = await _advisor(stack)
    manager_no = (await hired(admin, **employee(role="parts_manager", base_wage="1500.00")))["employee_no"]
    plan = {"plan_code": "seed-parts-manager", "from_month": month}
    assert (await admin.put(f"/api/v1/employees/{manager_no}/plan", json=plan)).status_code == 200
    oil = await _stocked(
        stack, 120, name="全合成机油 1L", category="maintenance_product", unit="bottle", price="45.00", cost="30.00"
    )

    car = await _car(admin)
    order = await _opened(admin, car, advisor_no, opened_at=f"{month}-08T09:00:00+08:00")
    line = {"kind": "product", "part_no": oil, "quantity": "100"}
    assert (await admin.post(f"/api/v1/repair-orders/{order['id']}/lines", json=line)).status_code == 201
    for to in ("in_progress", "quality_check", "ready"):
        await admin.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to})
    handover = {"handed_over_at": f"{month}-08T17:00:00+08:00"}
    assert (await admin.post(f"/api/v1/repair-orders/{order['id']}/handover", json=handover)).status_code == 200
    sale = {"buyer": "路边快修店", "lines": [{"part_no": oil, "qty": "20"}], "sold_at": f"{month}-09T10:00:00+08:00"}
    sold = await _parts_manager(stack).post("/api/v1/parts-sales", json=sale)
    assert sold.status_code == 201, sold.text

    hr = stack.client(token=stack.token("hr_manager", employee_no="HR1", username="hr"))
    figures = {"parts_profit": "60000.00", "parts_profit_target": "60000.00", "parts_office_costs": "0"}
    assert (await hr.put(f"/api/v1/store-figures/{month}", json=figures)).status_code == 200
    assert (await hr.put(f"/api/v1/appraisals/{month}/{manager_no}", json={"score": 100})).status_code == 200
    run = (await admin.post("/api/v1/payroll-runs", json={"month": month})).json()

    async def pooled() -> dict[str, Any] | None:
        await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")
        slip = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{manager_no}")).json()
        lines = [line for line in slip["lines"] if line["code"] == "parts_pool"]
        return lines[0] if lines and lines[0]["basis"]["maintenance_products_sales"] == "5400.00" else None

    pool = await eventually(pooled)
    # (100 bottles on the repair order + 20 over the counter) × 45.00 = 5400 × 1 % = 54.00, × 0.5 share
    assert Decimal(pool["amount"]) == Decimal("27.00")
