"""The first end-to-end flow through the gateway: token → employee → delivery → follow-up and commission."""

from typing import Any

import httpx
import pytest
from factories import delivery, employee, vin
from fours_devstack.testing import ADMIN_PASSWORD, Stack, eventually


async def login(stack: Stack, username: str = "admin", password: str = ADMIN_PASSWORD) -> httpx.AsyncClient:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        response = await anon.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] > 0 and tokens["refresh_token"]
    return httpx.AsyncClient(
        base_url=stack.urls["gateway"],
        headers={"authorization": f"Bearer {tokens['access_token']}"},
        timeout=15,
    )


async def hired(api: httpx.AsyncClient, **over: Any) -> dict[str, Any]:
    response = await api.post("/api/v1/employees", json=employee(**over))
    assert response.status_code == 201, response.text
    return response.json()


async def known_to_leads(api: httpx.AsyncClient, consultant_no: str) -> dict[str, Any]:
    """Leads learns staff from employee events; a delivery succeeds once it has."""

    async def attempt() -> dict[str, Any] | None:
        response = await api.post("/api/v1/deliveries", json=delivery(consultant_no))
        if response.status_code == 422:
            return None
        assert response.status_code == 201, response.text
        return response.json()

    return await eventually(attempt)


async def commissions(api: httpx.AsyncClient, employee_no: str, month: str = "2026-11") -> dict[str, Any]:
    response = await api.get("/api/v1/commissions", params={"employee_no": employee_no, "month": month})
    assert response.status_code == 200, response.text
    return response.json()


async def test_delivery_through_gateway_yields_follow_up_call_and_commission(stack: Stack) -> None:
    api = await login(stack)
    consultant = await hired(api)
    assert (await api.get(f"/api/v1/employees/{consultant['employee_no']}")).json()["base_wage"] == "1200.00"
    await known_to_leads(api, consultant["employee_no"])

    body = delivery(consultant["employee_no"], delivered_at="2026-11-20T10:00:00+08:00")
    response = await api.post("/api/v1/deliveries", json=body)
    assert response.status_code == 201, response.text
    delivered = response.json()
    assert delivered["delivery_id"] and delivered["status"] == "delivered" and delivered["price"] == "120000.00"

    async def follow_ups() -> list[dict[str, Any]]:
        return (await api.get("/api/v1/follow-ups", params={"vin": body["vin"]})).json()["items"]

    [call] = await eventually(follow_ups)
    assert (call["kind"], call["vin"], call["due_date"], call["status"]) == (
        "delivery",
        body["vin"],
        "2026-11-25",
        "open",
    )

    car = (await api.get(f"/api/v1/vehicles/{body['vin']}")).json()
    assert car["owner"]["mobile"] == body["customer"]["mobile"].removeprefix("+86 ")

    async def two_lines() -> dict[str, Any] | None:
        result = await commissions(api, consultant["employee_no"])
        return result if len(result["items"]) == 2 else None

    result = await eventually(two_lines)
    line = next(i for i in result["items"] if i["vin"] == body["vin"])
    assert line["amount"] == "200.00" and line["rule"].startswith("PAY-3 grade A")
    assert line["source_event_id"] == delivered["delivered_event_id"]
    assert result["total"] == "400.00"


async def test_cancelled_delivery_claws_back_and_cannot_be_cancelled_twice(stack: Stack) -> None:
    api = await login(stack)
    consultant = await hired(api)
    first = await known_to_leads(api, consultant["employee_no"])

    response = await api.post(f"/api/v1/deliveries/{first['delivery_id']}/cancel", json={"reason": "customer withdrew"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"

    again = await api.post(f"/api/v1/deliveries/{first['delivery_id']}/cancel", json={"reason": "again"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"

    async def clawed_back() -> dict[str, Any] | None:
        result = await commissions(api, consultant["employee_no"], month=_this_month())
        return result if any(i["code"] == "clawback" for i in result["items"]) else None

    result = await eventually(clawed_back)
    [clawback] = [i for i in result["items"] if i["code"] == "clawback"]
    assert clawback["amount"] == "-200.00" and clawback["vin"] == first["vin"]

    async def call_cancelled() -> bool:
        items = (await api.get("/api/v1/follow-ups", params={"vin": first["vin"]})).json()["items"]
        return bool(items) and items[0]["status"] == "cancelled"

    await eventually(call_cancelled)


def _this_month() -> str:
    from datetime import UTC, datetime

    from servicekit.calendar import business_date

    return business_date(datetime.now(UTC)).strftime("%Y-%m")


async def test_idempotency_key_repeat_returns_the_first_delivery(stack: Stack) -> None:
    api = await login(stack)
    consultant = await hired(api)
    await known_to_leads(api, consultant["employee_no"])
    body = delivery(consultant["employee_no"])
    headers = {"Idempotency-Key": f"delivery-{body['vin']}"}
    first = await api.post("/api/v1/deliveries", json=body, headers=headers)
    second = await api.post("/api/v1/deliveries", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    other = await api.post("/api/v1/deliveries", json={**body, "price": "125000.00"}, headers=headers)
    assert other.status_code == 422 and other.json()["type"].endswith("idempotency-key-reused")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"vin": "SHORT"}, "vin"),
        ({"vin": "LSVAU2180N21832O4"}, "vin"),
        ({"customer": {"name": "王", "mobile": "12345"}}, "customer.mobile"),
        ({"grade": "C"}, "grade"),
        ({"price": "12.345"}, "price"),
        ({"price": "-1"}, "price"),
        ({"channel": "street"}, "channel"),
        ({"insurance": {"insurer": "PICC", "coverages": ["moon"]}}, "insurance.coverages.0"),
        ({"delivered_at": "2026-11-20T10:00:00"}, "delivered_at"),
    ],
)
async def test_bad_delivery_is_422_problem_naming_the_field(stack: Stack, change: dict[str, Any], field: str) -> None:
    api = stack.client("gateway")
    response = await api.post("/api/v1/deliveries", json={**delivery("S001"), **change})
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["status"] == 422 and field in [e["name"] for e in problem["errors"]]


async def test_unknown_consultant_is_422_and_nothing_is_stored(stack: Stack) -> None:
    api = stack.client("gateway")
    body = delivery("NOBODY-1")
    response = await api.post("/api/v1/deliveries", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["name"] == "consultant_no"
    assert (await api.get(f"/api/v1/vehicles/{body['vin']}")).status_code == 404


async def test_unknown_delivery_is_404(stack: Stack) -> None:
    api = stack.client("gateway")
    for path in (
        "/api/v1/deliveries/no-such-id/cancel",
        "/api/v1/deliveries/00000000-0000-0000-0000-000000000000/cancel",
    ):
        response = await api.post(path, json={"reason": "x"})
        assert response.status_code == 404 and response.json()["status"] == 404


async def test_calls_without_a_valid_token_are_401(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        assert (await anon.get(f"/api/v1/vehicles/{vin()}")).status_code == 401
        bad = await anon.get("/api/v1/vehicles/X", headers={"authorization": "Bearer not-a-jwt"})
        assert bad.status_code == 401 and bad.json()["type"].endswith("invalid-token")
        wrong = await anon.post("/api/v1/auth/token", json={"username": "admin", "password": "wrong"})
        assert wrong.status_code == 401


async def test_consultant_cannot_record_another_consultants_delivery_or_read_their_commissions(
    stack: Stack,
) -> None:
    mine = stack.client("gateway", token=stack.token("sales_consultant", employee_no="S-ME"))
    response = await mine.post("/api/v1/deliveries", json=delivery("S-OTHER"))
    assert response.status_code == 403
    response = await mine.get("/api/v1/commissions", params={"employee_no": "S-OTHER", "month": "2026-11"})
    assert response.status_code == 403
    assert (await mine.post("/api/v1/employees", json=employee())).status_code == 403


async def test_gateway_is_ready_only_with_every_service(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        ready = await anon.get("/readyz")
    assert ready.status_code == 200
    assert set(ready.json()["checks"]) >= {
        "database",
        "leads",
        "aftersales",
        "insurance",
        "marketing",
        "payroll",
    }


async def test_many_deliveries_in_a_row_all_succeed(stack: Stack) -> None:
    """PostgreSQL switches a prepared statement to a generic plan after five runs; the
    one-active-delivery-per-VIN conflict target must still match its partial index then."""
    api = await login(stack)
    consultant = await hired(api)
    await known_to_leads(api, consultant["employee_no"])
    for _ in range(12):
        response = await api.post("/api/v1/deliveries", json=delivery(consultant["employee_no"]))
        assert response.status_code == 201, response.text
    body = delivery(consultant["employee_no"])
    assert (await api.post("/api/v1/deliveries", json=body)).status_code == 201
    again = await api.post("/api/v1/deliveries", json={**body, "customer": {"name": "李", "mobile": "13900001111"}})
    assert again.status_code == 409 and again.json()["type"].endswith("vin-delivered")


async def test_request_id_is_returned_and_carried_onto_the_event(stack: Stack) -> None:
    from servicekit.tables import outbox
    from sqlalchemy import select

    api = await login(stack)
    consultant = await hired(api)
    await known_to_leads(api, consultant["employee_no"])
    response = await api.post(
        "/api/v1/deliveries", json=delivery(consultant["employee_no"]), headers={"X-Request-ID": "req-abc-123"}
    )
    assert response.status_code == 201 and response.headers["x-request-id"] == "req-abc-123"
    event_id = response.json()["delivered_event_id"]
    async with stack.kit("leads").db.transaction() as session:
        headers = (await session.execute(select(outbox.c.headers).where(outbox.c.event_id == event_id))).scalar_one()
    assert ["ce_correlationid", "req-abc-123"] in headers
    assert (await api.get("/api/v1/nothing-here")).json()["status"] == 404


async def test_every_service_exposes_health_readiness_and_metrics(stack: Stack) -> None:
    for name, url in stack.urls.items():
        async with httpx.AsyncClient(base_url=url) as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}, name
            assert (await client.get("/readyz")).status_code == 200, name
            metrics = await client.get("/metrics")
            assert "http_request_duration_seconds" in metrics.text, name
            lines = metrics.text.splitlines()
            assert any(line.startswith("outbox_pending ") for line in lines), name
            assert any(line.startswith("outbox_oldest_pending_seconds ") for line in lines), name
            assert "# TYPE retention_pruned_total counter" in lines, name
            detail = (await client.get("/readyz", params={"self": "true"})).json()["detail"]
            assert {"outbox_pending", "due_jobs_overdue", "dead_letters_parked"} <= set(detail), name
            if name in ("aftersales", "payroll"):  # consumers: what they handled and how far behind they are
                assert "# TYPE events_processed_total counter" in lines and "# TYPE consumer_lag gauge" in lines
                assert any(line.startswith("consumer_lag{") for line in lines), name
                assert detail["consumer_lag"] >= 0
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as gateway:
        lines = (await gateway.get("/metrics")).text.splitlines()
    assert 'gateway_circuit_breaker_open{upstream="leads"} 0.0' in lines
    assert any(
        line.startswith('gateway_upstream_duration_seconds_count{method="POST",status="201",upstream="leads"}')
        for line in lines
    ), "each proxied call is timed under the service it went to"
