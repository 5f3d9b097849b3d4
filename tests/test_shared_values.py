"""Shared value types (``fours_contracts.Vin``, ``Mobile``): a VIN in lower case is accepted by every
service and kept upper-case; a mobile in any written form is kept as its 11 digits."""

from typing import Any

import httpx
from factories import delivery, mobile, vin
from fours_devstack.testing import Stack, eventually
from test_first_flow import hired, known_to_leads, login
from test_insurance_intake import _item, _key
from test_repair_orders import _advisor, _opened


async def test_a_lower_case_vin_is_accepted_by_every_service_and_kept_upper_case(stack: Stack) -> None:
    admin = await login(stack)
    consultant = await hired(admin)
    await known_to_leads(admin, consultant["employee_no"])

    # leads: a handover, and a stock car read back by its lower-case VIN
    sold = vin()
    response = await admin.post("/api/v1/deliveries", json=delivery(consultant["employee_no"], vin=sold.lower()))
    assert response.status_code == 201, response.text
    assert response.json()["vin"] == sold
    stocked = vin()
    body = {
        "vin": stocked.lower(),
        "model": "Lavida",
        "grade": "A",
        "colour": "白",
        "cost": "100000.00",
        "arrived_at": "2026-11-20T09:00:00+08:00",
    }
    assert (await admin.post("/api/v1/stock", json=body)).status_code == 201
    assert (await admin.get(f"/api/v1/stock/{stocked.lower()}")).json()["vin"] == stocked

    # aftersales: the car learnt from the handover, found by its lower-case VIN; a walk-in and a repair order
    async def car() -> dict[str, Any] | None:
        found = await admin.get(f"/api/v1/vehicles/{sold.lower()}")
        return found.json() if found.status_code == 200 else None

    assert (await eventually(car))["vin"] == sold
    walk_in = vin()
    owner = {"name": "钱先生", "mobile": "+86 " + mobile()}
    created = await admin.post("/api/v1/vehicles", json={"vin": walk_in.lower(), "model": "Sagitar", "owner": owner})
    assert created.status_code == 201, created.text
    assert created.json()["vin"] == walk_in and created.json()["owner"]["mobile"] == owner["mobile"][4:]
    _, advisor_no = await _advisor(stack)
    order = await _opened(admin, walk_in.lower(), advisor_no)
    assert order["vin"] == walk_in
    listed = (await admin.get("/api/v1/repair-orders", params={"vin": walk_in.lower()})).json()["items"]
    assert [o["id"] for o in listed] == [order["id"]]

    # insurance: a policy pushed with a lower-case VIN is kept and found upper-case
    insured = vin()
    key = await _key(stack, ["insurance:push"], partner="cpic")
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as partner:
        pushed = await partner.post(
            "/api/v1/integrations/policies:batch", json={"items": [_item(f"PL{insured[-10:]}", insured.lower())]}
        )
    assert [r["status"] for r in pushed.json()["results"]] == ["created"], pushed.text
    policies = (await admin.get("/api/v1/policies", params={"vin": insured.lower()})).json()["items"]
    assert [p["vin"] for p in policies] == [insured]
