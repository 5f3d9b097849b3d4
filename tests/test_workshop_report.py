"""KPI-1..4 through the gateway, on a month of its own (March 2024, which no other test touches): the
advisor's intake and output, the margin at the parts ledger's moving-average cost, output against the
year's targets month by month and year to date, CSI and the survey from the follow-up calls, and the
morning meeting's day."""

from typing import Any

from factories import employee_no
from fours_devstack.testing import Stack, eventually
from test_parts import _part, _part_no, _parts_manager
from test_repair_orders import _advisor, _car, _opened

SURVEY = {
    "reception": 10,
    "explanation": 9,
    "waiting_time": 9,
    "repair_quality": 10,
    "done_right_first_time": 9,
    "cleanliness": 9,
    "price_clarity": 10,
    "on_time": 9,
    "attitude": 9,
    "overall": 8,
}  # 92 of 100; overall 8 → CSI 800


async def _received_at(parts: Any, part_no: str, cost: str) -> None:
    line = {"part_no": part_no, "qty": 1, "unit_cost": cost}
    po = (await parts.post("/api/v1/purchase-orders", json={"supplier": "配件中心", "lines": [line]})).json()
    await parts.post(f"/api/v1/purchase-orders/{po['id']}/transitions", json={"to": "submitted"})
    receipt = {"lines": [{"part_no": part_no, "qty": 1}]}
    received = await parts.post(f"/api/v1/purchase-orders/{po['id']}/receipts", json=receipt)
    assert received.status_code == 200, received.text


async def _line(api: Any, order_id: str, **line: Any) -> dict[str, Any]:
    response = await api.post(f"/api/v1/repair-orders/{order_id}/lines", json=line)
    assert response.status_code == 201, response.text
    return response.json()


async def _hand_over(api: Any, order: dict[str, Any], at: str) -> None:
    for to in ("in_progress", "quality_check", "ready"):
        moved = await api.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to})
        assert moved.status_code == 200, moved.text
    done = await api.post(f"/api/v1/repair-orders/{order['id']}/handover", json={"handed_over_at": at})
    assert done.status_code == 200, done.text


async def test_a_month_of_the_workshop_in_its_numbers(stack: Stack) -> None:
    parts = _parts_manager(stack)
    filter_no, missing_no = _part_no(), _part_no()
    for part_no in (filter_no, missing_no):
        assert (await parts.put(f"/api/v1/parts/{part_no}", json=_part())).status_code == 201
    for cost in ("55.00", "60.00"):  # two receipts: 57.50 on average
        await _received_at(parts, filter_no, cost)

    admin, advisor_no = await _advisor(stack)
    advisor = stack.client(token=stack.token("service_advisor", employee_no=advisor_no, username="advisor.kpi"))
    routine = await _opened(advisor, await _car(admin), advisor_no, opened_at="2024-03-04T09:00:00+08:00")
    await _line(advisor, routine["id"], kind="labour", description="保养工时", quantity="2.5", unit_price="180.00")
    await _line(
        advisor, routine["id"], kind="part", part_no=filter_no, description="机滤", quantity="2", unit_price="85.50"
    )
    await _line(advisor, routine["id"], kind="product", description="机油 1L", quantity="4", unit_price="45.00")
    await _hand_over(advisor, routine, "2024-03-04T17:00:00+08:00")
    accident = await _opened(
        advisor, await _car(admin), advisor_no, type="accident", opened_at="2024-03-05T10:00:00+08:00"
    )
    await _line(advisor, accident["id"], kind="labour", description="钣金喷漆", quantity="10", unit_price="200.00")
    await _hand_over(advisor, accident, "2024-03-06T16:00:00+08:00")
    waiting = await _opened(
        advisor, await _car(admin), advisor_no, type="warranty", opened_at="2024-03-06T11:00:00+08:00"
    )
    await _line(
        advisor, waiting["id"], kind="part", part_no=missing_no, description="缺件", quantity="1", unit_price="85.50"
    )

    async def call() -> list[dict[str, Any]]:
        return (await admin.get("/api/v1/follow-ups", params={"vin": routine["vin"]})).json()["items"]

    [found] = await eventually(call)
    caller = stack.client(token=stack.token("follow_up_caller", employee_no=employee_no("C"), username="caller.kpi"))
    answered = {"outcome": "reached", "scores": SURVEY}
    scored = await caller.post(f"/api/v1/follow-ups/{found['id']}/attempts", json=answered)
    assert scored.status_code == 200, scored.text

    manager = stack.client(token=stack.token("service_manager", employee_no=employee_no("M"), username="svc.kpi"))
    targets = {
        "routine": "1200000.00",
        "accident": "300000.00",
        "stretch_routine": "1300000.00",
        "stretch_accident": "400000.00",
        "csi": "900",
        "survey": "92",
    }
    assert (await manager.get("/api/v1/workshop-targets/2024")).json()["source"] == "default"
    low = await manager.put("/api/v1/workshop-targets/2024", json={**targets, "stretch_accident": "100000.00"})
    assert low.status_code == 422
    put = await manager.put("/api/v1/workshop-targets/2024", json=targets)
    assert put.status_code == 200 and put.json()["source"] == "store"
    assert (await advisor.get("/api/v1/reports/aftersales", params={"month": "2024-03"})).status_code == 403

    report = (await manager.get("/api/v1/reports/aftersales", params={"month": "2024-03"})).json()
    [mine] = [a for a in report["advisors"] if a["advisor_no"] == advisor_no]
    assert (mine["received"], mine["daily_average"]) == (3, "0.10")  # 3 cars over March's 31 days
    assert (mine["routine_output"], mine["accident_output"]) == ("801.00", "2000.00")
    assert (mine["labour_amount"], mine["parts_amount"], mine["products_amount"], mine["bottles"]) == (
        "2450.00",
        "171.00",
        "180.00",
        4,
    )
    assert (mine["cost"], mine["margin"]) == ("115.00", "2686.00")  # two filters at the 57.50 average
    march = report["months"][2]
    assert (march["month"], march["output"], march["target"], march["completion"]) == (
        "2024-03",
        "2801.00",
        "125000.00",
        "0.0224",
    )
    ytd = report["year_to_date"]
    assert (ytd["output"], ytd["target"], ytd["completion"], ytd["accident_target"]) == (
        "2801.00",
        "375000.00",
        "0.0075",
        "75000.00",
    )
    assert (report["csi"], report["survey"], report["calls_scored"]) == ("800.0", "92.0", 1)
    assert report["targets"]["first"] == "1500000.00"

    day = (await manager.get("/api/v1/reports/aftersales/daily", params={"day": "2024-03-07"})).json()
    assert day["intake"] == [{"advisor_no": advisor_no, "type": "warranty", "cars": 1}]
    assert day["in_workshop"] == [{"state": "open", "age": "0-1", "orders": 1}]
    [short] = day["waiting_parts"]
    assert (short["repair_order_id"], short["part_nos"]) == (waiting["id"], [missing_no])
    assert day["appointments"] == []
