"""Insurers and manufacturers push policies with an API key: mixed batches, replays, updates."""

from typing import Any

import httpx
from factories import delivery, employee, vin
from fours_devstack.testing import Stack, eventually
from test_first_flow import hired, known_to_leads, login


def _item(policy_no: str, car: str, **over: Any) -> dict[str, Any]:
    return {
        "insurer": "PICC",
        "policy_no": policy_no,
        "vin": car,
        "holder": {"name": "王先生", "mobile": "+86 139 0000 1111"},
        "coverages": [{"code": "compulsory", "premium": "950.00"}, {"code": "own_damage", "premium": "2100.50"}],
        "premium": "3050.50",
        "start_date": "2026-12-01",
        "end_date": "2027-11-30",
        **over,
    }


async def _key(stack: Stack, scopes: list[str], partner: str = "picc") -> str:
    admin = await login(stack)
    created = await admin.post(
        "/api/v1/api-keys", json={"name": f"{partner} push", "partner": partner, "scopes": scopes}
    )
    assert created.status_code == 201, created.text
    return created.json()["key"]


async def test_a_mixed_batch_reports_each_item_and_a_replay_changes_nothing(stack: Stack) -> None:
    key = await _key(stack, ["insurance:push"])
    car, other = vin(), vin()
    number = f"PDAA2026{car[-8:]}"
    batch = {
        "items": [
            _item(number, car),
            _item(f"X{number}", "NOT-A-VIN"),
            {"insurer": "PICC"},
            _item(f"Y{number}", other, premium="1.00"),
            _item(number, car),
            "not even an object",
        ]
    }
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as partner:
        first = await partner.post("/api/v1/integrations/policies:batch", json=batch)
        assert first.status_code == 200, first.text
        results = first.json()["results"]
        assert [r["status"] for r in results] == [
            "created",
            "rejected",
            "rejected",
            "rejected",
            "unchanged",
            "rejected",
        ]
        assert [e["name"] for e in results[1]["errors"]] == ["vin"]
        assert {"holder", "policy_no"} <= {e["name"] for e in results[2]["errors"]}
        assert "sum of the coverages" in results[3]["errors"][0]["reason"]
        replay = (await partner.post("/api/v1/integrations/policies:batch", json=batch)).json()["results"]
        assert [r["status"] for r in replay] == [
            "unchanged",
            "rejected",
            "rejected",
            "rejected",
            "unchanged",
            "rejected",
        ]
        newer = _item(number, car, coverages=[{"code": "compulsory", "premium": "950.00"}], premium="950.00")
        updated = (await partner.post("/api/v1/integrations/policies:batch", json={"items": [newer]})).json()["results"]
        assert updated[0]["status"] == "updated"
        too_many = await partner.post("/api/v1/integrations/policies:batch", json={"items": [{}] * 1001})
        assert too_many.status_code == 413 and too_many.json()["type"].endswith("batch-too-large")
        assert (
            await partner.get("/api/v1/policies", params={"policy_no": number})
        ).status_code == 403  # push scope only

    admin = await login(stack)
    [policy] = (await admin.get("/api/v1/policies", params={"policy_no": number})).json()["items"]
    assert (policy["premium"], policy["version"], policy["holder_mobile"], policy["vin"]) == (
        "950.00",
        2,
        "13900001111",
        car,
    )
    log = (await admin.get("/api/v1/integrations/intake-log", params={"partner": "picc"})).json()["items"]
    assert log and log[0]["counts"]["updated"] == 1


async def test_unknown_keys_are_401_and_keys_without_the_push_scope_are_403(stack: Stack) -> None:
    reader = await _key(stack, ["vehicles:read"], partner="portal")
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        assert (
            await anon.post("/api/v1/integrations/policies:batch", json={"items": []}, headers={"X-API-Key": "fsk_x_y"})
        ).status_code == 401
        wrong = await anon.post(
            "/api/v1/integrations/policies:batch", json={"items": []}, headers={"X-API-Key": reader}
        )
        assert wrong.status_code == 403


async def test_new_car_insurance_penetration_comes_from_deliveries(stack: Stack) -> None:
    admin = await login(stack)
    consultant = (await hired(admin, **employee()))["employee_no"]
    await known_to_leads(admin, consultant)  # one delivery, insured (the factory's default)
    for insured in (True, False, False):
        body = delivery(consultant, delivered_at="2031-08-10T10:00:00+08:00")
        if not insured:
            body["insurance"] = None
        assert (await admin.post("/api/v1/deliveries", json=body)).status_code == 201

    async def report() -> dict[str, Any] | None:
        figures = (await admin.get("/api/v1/reports/insurance-penetration", params={"month": "2031-08"})).json()
        return figures if figures["delivered"] == 3 else None

    figures = await eventually(report)
    assert figures["insured_through_store"] == 1 and figures["penetration"] == "0.3333"


async def test_policies_are_found_by_plate(stack: Stack) -> None:
    key = await _key(stack, ["insurance:push"], partner="picc-plates")
    car = vin()
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as partner:
        pushed = await partner.post(
            "/api/v1/integrations/policies:batch", json={"items": [_item(f"PL-{car}", car, plate="苏E 7K2Q9")]}
        )
        assert pushed.json()["results"][0]["status"] == "created"
    admin = await login(stack)
    [policy] = (await admin.get("/api/v1/policies", params={"plate": "苏e7k2q9"})).json()["items"]
    assert (policy["vin"], policy["plate"]) == (car, "苏E7K2Q9")
