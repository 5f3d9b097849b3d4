"""The customer-service centre works its call list: attempts, satisfaction, complaints, the monthly report."""

from typing import Any

from factories import delivery, employee
from fours_devstack.testing import Stack, eventually
from test_first_flow import hired, known_to_leads, login


async def _delivered_call(stack: Stack) -> tuple[Any, dict[str, Any], str]:
    admin = await login(stack)
    consultant = await hired(admin, **employee())
    caller = await hired(admin, **employee(role="follow_up_caller", team="csc"))
    await known_to_leads(admin, consultant["employee_no"])
    body = delivery(consultant["employee_no"], delivered_at="2026-10-09T10:00:00+08:00")
    assert (await admin.post("/api/v1/deliveries", json=body)).status_code == 201

    async def call() -> list[dict[str, Any]]:
        return (await admin.get("/api/v1/follow-ups", params={"vin": body["vin"]})).json()["items"]

    [found] = await eventually(call)
    return admin, found, caller["employee_no"]


async def test_three_unanswered_calls_make_the_call_unreachable(stack: Stack) -> None:
    _, call, caller_no = await _delivered_call(stack)
    api = stack.client(token=stack.token("follow_up_caller", employee_no=caller_no, username="caller"))
    for expected in ("open", "open", "unreachable"):
        response = await api.post(f"/api/v1/follow-ups/{call['id']}/attempts", json={"outcome": "no_answer"})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == expected
    again = await api.post(f"/api/v1/follow-ups/{call['id']}/attempts", json={"outcome": "no_answer"})
    assert again.status_code == 409


async def test_an_unhappy_answer_opens_a_complaint_that_is_worked_to_closure(stack: Stack) -> None:
    _, call, caller_no = await _delivered_call(stack)
    api = stack.client(token=stack.token("follow_up_caller", employee_no=caller_no, username="caller"))
    missing = await api.post(f"/api/v1/follow-ups/{call['id']}/attempts", json={"outcome": "reached"})
    assert missing.status_code == 422
    response = await api.post(
        f"/api/v1/follow-ups/{call['id']}/attempts",
        json={
            "outcome": "reached",
            "scores": {"handover": 9, "explanation": 4},
            "comments": "nobody explained the infotainment",
            "severity": "major",
        },
    )
    assert response.status_code == 200, response.text
    answered = response.json()
    assert answered["status"] == "done" and answered["complaint_id"]

    manager = stack.client(token=stack.token("service_manager", employee_no="M1", username="manager"))
    complaint = (await manager.get(f"/api/v1/complaints/{answered['complaint_id']}")).json()
    assert (complaint["source"], complaint["severity"], complaint["escalated_to"], complaint["state"]) == (
        "follow_up",
        "major",
        "service_manager",
        "open",
    )
    assert complaint["follow_up_id"] == call["id"] and complaint["vin"] == call["vin"]
    assert (
        await manager.post(f"/api/v1/complaints/{complaint['id']}/resolve", json={"resolution": "x"})
    ).status_code == 409
    steps = [
        ("assign", {"assignee_no": caller_no}, "assigned"),
        ("resolve", {"resolution": "demonstrated the system at home"}, "resolved"),
        ("callback", {"satisfied": False, "notes": "still confused"}, "assigned"),
        ("resolve", {"resolution": "second session in the showroom"}, "resolved"),
        ("callback", {"satisfied": True, "notes": "happy now"}, "closed"),
    ]
    for action, body, state in steps:
        response = await manager.post(f"/api/v1/complaints/{complaint['id']}/{action}", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["state"] == state
    closed = response.json()
    assert closed["callbacks"] == 2 and closed["hours_to_close"] is not None and closed["allowed_actions"] == []
    escalated = (await manager.get("/api/v1/complaints", params={"escalated": "true", "vin": call["vin"]})).json()[
        "items"
    ]
    assert [c["id"] for c in escalated] == [complaint["id"]]

    report = await manager.get("/api/v1/reports/follow-ups", params={"month": "2026-10"})
    assert report.status_code == 200, report.text
    figures = report.json()
    assert figures["month"] == "2026-10" and figures["reached"] >= 1
    assert 0 < figures["reach_rate"] <= 1 and figures["by_staff"]


async def test_only_callers_and_the_service_manager_record_calls(stack: Stack) -> None:
    _, call, _ = await _delivered_call(stack)
    advisor = stack.client(token=stack.token("service_advisor", employee_no="A9"))
    assert (
        await advisor.post(f"/api/v1/follow-ups/{call['id']}/attempts", json={"outcome": "no_answer"})
    ).status_code == 403
