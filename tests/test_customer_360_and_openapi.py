"""Customer 360 across services (with one of them down) and the merged OpenAPI document."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from factories import delivery, employee, vin
from fours_devstack.broker import free_port
from fours_devstack.testing import Stack, another_gateway, eventually
from openapi_spec_validator import validate
from servicekit.calendar import business_date
from test_first_flow import hired, known_to_leads, login
from test_insurance_intake import _item, _key
from test_repair_orders import _opened


async def _customer_with_a_car_in_service(stack: Stack) -> tuple[Any, str, str, str]:
    admin = await login(stack)
    consultant = await hired(admin, **employee())
    advisor = await hired(admin, **employee(role="service_advisor"))
    await known_to_leads(admin, consultant["employee_no"])
    body = delivery(consultant["employee_no"])
    delivered = (await admin.post("/api/v1/deliveries", json=body)).json()

    async def car() -> dict[str, Any] | None:
        response = await admin.get(f"/api/v1/vehicles/{body['vin']}")
        return response.json() if response.status_code == 200 else None

    await eventually(car)
    await _opened(admin, body["vin"], advisor["employee_no"], opened_at=datetime.now(UTC).isoformat())
    return admin, delivered["customer_id"], body["vin"], consultant["employee_no"]


async def test_customer_360_brings_sales_aftersales_and_insurance_together(stack: Stack) -> None:
    admin, customer_id, car, consultant_no = await _customer_with_a_car_in_service(stack)
    customer = (await admin.get(f"/api/v1/customers/{customer_id}")).json()
    lead = await admin.post(
        "/api/v1/leads",
        json={
            "customer": {"name": customer["name"], "mobile": customer["mobile"]},
            "source": "referral",
            "model": "Tiguan L",
        },
    )
    assert lead.json()["customer_id"] == customer_id
    key = await _key(stack, ["insurance:push"], partner=f"picc-{car.lower()}")
    holder = {"name": customer["name"], "mobile": customer["mobile"]}
    second_car, started = vin(), business_date(datetime.now(UTC)) - timedelta(days=300)
    expiring = _item(
        f"P-{second_car}",
        second_car,
        holder=holder,
        start_date=started.isoformat(),
        end_date=(started + timedelta(days=364)).isoformat(),
    )
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as partner:
        items = [_item(f"P-{car}", car, holder=holder, kind="new_car"), expiring]
        pushed = await partner.post("/api/v1/integrations/policies:batch", json={"items": items})
        assert [r["status"] for r in pushed.json()["results"]] == ["created", "created"], pushed.text

    async def with_renewal() -> dict[str, Any] | None:  # the scheduler opens it: expiry is within 90 days
        response = await admin.get(f"/api/v1/customers/{customer_id}/360")
        assert response.status_code == 200, response.text
        return response.json() if response.json()["renewals"] else None

    view = await eventually(with_renewal)
    assert view["partial"] == [] and view["customer"]["id"] == customer_id
    assert [item["lead_id"] for item in view["leads"]] == [lead.json()["lead_id"]] and view["orders"] == []
    assert sorted(p["policy_no"] for p in view["policies"]) == sorted([f"P-{car}", f"P-{second_car}"])
    assert [(r["vin"], r["status"], r["expires_on"]) for r in view["renewals"]] == [
        (second_car, "open", expiring["end_date"])
    ]
    assert [d["vin"] for d in view["deliveries"]] == [car]
    assert [v["vin"] for v in view["vehicles"]] == [car] and view["vehicles"][0]["segment"] is None
    assert [o["vin"] for o in view["repair_orders"]] == [car]
    assert [(f["kind"], f["vin"]) for f in view["follow_ups"]] == [("delivery", car)]
    assert (await admin.get("/api/v1/customers/no-such-customer/360")).status_code == 404

    mine = stack.client(token=stack.token("sales_consultant", employee_no=consultant_no))
    as_consultant = (await mine.get(f"/api/v1/customers/{customer_id}/360")).json()
    assert len(as_consultant["policies"]) == 2 and as_consultant["renewals"] == []  # a consultant works no renewals
    assert as_consultant["partial"] == []
    other = stack.client(token=stack.token("sales_consultant", employee_no="S-NOT-MINE"))
    assert (await other.get(f"/api/v1/customers/{customer_id}/360")).status_code == 403


async def test_customer_360_with_aftersales_and_insurance_down_serves_the_rest_and_says_so(
    stack: Stack, postgres_url: str, kafka_bootstrap: str, jwt_keys: tuple[str, str]
) -> None:
    _, customer_id, car, _ = await _customer_with_a_car_in_service(stack)
    nowhere = {"aftersales_url": f"http://127.0.0.1:{free_port()}", "insurance_url": f"http://127.0.0.1:{free_port()}"}
    async with another_gateway(stack, postgres_url, kafka_bootstrap, jwt_keys, **nowhere) as second:
        async with second.client(token=stack.token()) as api:
            view = (await api.get(f"/api/v1/customers/{customer_id}/360")).json()
        assert view["partial"] == ["aftersales", "insurance"]
        assert [d["vin"] for d in view["deliveries"]] == [car] and view["vehicles"] == []


async def test_one_merged_openapi_validates_and_covers_every_routed_resource(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        spec = (await anon.get("/api/v1/openapi.json")).json()
        docs = await anon.get("/docs")
    validate(spec)
    assert "x-partial" not in spec
    paths = set(spec["paths"])
    for path in (
        "/api/v1/auth/token",
        "/api/v1/api-keys",
        "/api/v1/customers/{customer_id}/360",
        "/api/v1/employees",
        "/api/v1/deliveries",
        "/api/v1/deliveries/{delivery_id}/cancel",
        "/api/v1/vehicles/{vin}",
        "/api/v1/repair-orders/{order_id}/handover",
        "/api/v1/follow-ups",
        "/api/v1/commissions",
    ):
        assert path in paths, path
    assert not any(p.startswith("/admin") or p in ("/healthz", "/readyz") for p in paths)
    assert set(spec["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    assert docs.status_code == 200 and "/api/v1/openapi.json" in docs.text
