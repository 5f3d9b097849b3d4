"""CLM-1..4 through the gateway: a warranty repair order gives a claim, the warranty clerk submits it,
the manufacturer answers in a batch with its API key (a refusal, a replay, bad items), the clerk
corrects and resubmits, it is accepted and paid; the month's first-pass and rejection rates."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from factories import employee_no, vin
from fours_devstack.testing import Stack, eventually
from servicekit.calendar import SHANGHAI
from test_first_flow import login
from test_insurance_intake import _key
from test_repair_orders import _advisor, _car, _opened

LINES = [
    {"kind": "labour", "description": "更换点火线圈工时", "quantity": "1.5", "unit_price": "120.00"},
    {"kind": "part", "part_no": "06H905115", "description": "点火线圈", "quantity": "1", "unit_price": "385.50"},
]


async def _warranty_order(stack: Stack, kind: str = "warranty", *, opened: datetime) -> str:
    admin, advisor_no = await _advisor(stack)
    advisor = stack.client(token=stack.token("service_advisor", employee_no=advisor_no, username="advisor"))
    order = await _opened(advisor, await _car(admin), advisor_no, type=kind, opened_at=opened.isoformat())
    return order["id"]


def _answer(claim_id: str, ref: str, decision: str, **over: Any) -> dict[str, Any]:
    return {
        "claim_id": claim_id,
        "decision_ref": ref,
        "decision": decision,
        "answered_at": datetime.now(UTC).isoformat(),
        **over,
    }


async def test_a_refused_claim_is_corrected_resubmitted_accepted_and_paid(stack: Stack) -> None:
    clerk_no = employee_no("W")
    clerk = stack.client(token=stack.token("warranty_clerk", employee_no=clerk_no, username=f"clerk.{clerk_no}"))
    repaired = datetime.now(SHANGHAI) - timedelta(days=3)
    order_id = await _warranty_order(stack, opened=repaired)
    to_claim = (await clerk.get("/api/v1/warranty-claims/to-claim", params={"limit": 200})).json()["items"]
    assert order_id in [o["id"] for o in to_claim]
    opened = await clerk.post(
        "/api/v1/warranty-claims",
        json={"repair_order_id": order_id, "fault_code": "P0301", "description": "一缸失火", "lines": LINES},
    )
    assert opened.status_code == 201, opened.text
    claim = opened.json()
    assert (claim["state"], claim["claimed_amount"], claim["clerk_no"]) == ("draft", "565.50", clerk_no)
    # repaired (opened, not yet handed over) three days ago: 30 days to submit
    assert claim["due_on"] == (repaired.date() + timedelta(days=30)).isoformat() and claim["late"] is False
    again = await clerk.post(
        "/api/v1/warranty-claims",
        json={"repair_order_id": order_id, "fault_code": "P0301", "description": "again", "lines": LINES},
    )
    assert again.status_code == 409 and again.json()["claim_id"] == claim["id"]
    to_claim = (await clerk.get("/api/v1/warranty-claims/to-claim", params={"limit": 200})).json()["items"]
    assert order_id not in [o["id"] for o in to_claim]

    submitted = await clerk.post(f"/api/v1/warranty-claims/{claim['id']}/transitions", json={"to": "submitted"})
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["submissions"] == 1 and submitted.json()["allowed_transitions"] == ["accepted", "rejected"]

    oem = f"oem-{clerk_no}".lower()
    key = await _key(stack, ["warranty:decide"], partner=oem)
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as manufacturer:
        batch = {
            "items": [
                _answer(claim["id"], "R-1", "rejected", reason="工时超出标准"),
                _answer("no-such-claim", "R-2", "accepted"),
                _answer(claim["id"], "R-3", "paid", amount="565.50"),  # not accepted: not payable
                {"claim_id": claim["id"], "decision": "maybe"},
            ]
        }
        answered = await manufacturer.post("/api/v1/integrations/warranty-decisions:batch", json=batch)
        assert answered.status_code == 200, answered.text
        results = answered.json()["results"]
        assert [r["status"] for r in results] == ["recorded", "rejected", "rejected", "rejected"]
        assert results[1]["errors"][0]["name"] == "claim_id"
        assert "allowed: resubmitted" in results[2]["errors"][0]["reason"]
        assert {e["name"] for e in results[3]["errors"]} >= {"decision", "decision_ref", "answered_at"}
        replay = await manufacturer.post(
            "/api/v1/integrations/warranty-decisions:batch", json={"items": batch["items"][:1]}
        )
        assert replay.json()["results"][0]["status"] == "unchanged"
        refused = (await clerk.get(f"/api/v1/warranty-claims/{claim['id']}")).json()
        assert (refused["state"], refused["rejection_reason"]) == ("rejected", "工时超出标准")
        assert [a["outcome"] for a in refused["answers"]] == ["rejected"]  # the replay recorded nothing

        corrected = [{**LINES[0], "quantity": "1.0"}, LINES[1]]
        resubmitted = await clerk.post(
            f"/api/v1/warranty-claims/{claim['id']}/transitions", json={"to": "resubmitted", "lines": corrected}
        )
        assert resubmitted.status_code == 200, resubmitted.text
        assert (resubmitted.json()["claimed_amount"], resubmitted.json()["submissions"]) == ("505.50", 2)
        for ref, decision, extra in (("A-1", "accepted", {}), ("P-1", "paid", {"amount": "505.50"})):
            item = _answer(claim["id"], ref, decision, **extra)
            done = await manufacturer.post("/api/v1/integrations/warranty-decisions:batch", json={"items": [item]})
            assert done.json()["results"][0]["status"] == "recorded", done.text
    paid = (await clerk.get(f"/api/v1/warranty-claims/{claim['id']}")).json()
    assert (paid["state"], paid["approved_amount"], paid["paid_amount"]) == ("paid", "505.50", "505.50")
    assert [(a["submission"], a["outcome"]) for a in paid["answers"]] == [(1, "rejected"), (2, "accepted"), (2, "paid")]

    # A second claim, from a stock car damaged in transit, accepted at once (recorded from the portal).
    stock_car = await clerk.post(
        "/api/v1/warranty-claims",
        json={
            "vin": vin(),
            "repaired_on": datetime.now(SHANGHAI).date().isoformat(),
            "fault_code": "B1000",
            "description": "运输中前保险杠刮伤",
            "lines": [{"kind": "labour", "description": "喷漆", "quantity": "3", "unit_price": "120.00"}],
        },
    )
    assert stock_car.status_code == 201, stock_car.text
    second = stock_car.json()["id"]
    assert stock_car.json()["late"] is False
    for to in ("submitted", "accepted"):
        moved = await clerk.post(f"/api/v1/warranty-claims/{second}/transitions", json={"to": to})
        assert moved.status_code == 200, moved.text

    month = datetime.now(SHANGHAI).strftime("%Y-%m")
    manager = stack.client(token=stack.token("service_manager", employee_no=employee_no("M"), username="svc.manager"))
    report = (await manager.get("/api/v1/reports/warranty-claims", params={"month": month})).json()
    [mine] = [c for c in report["by_clerk"] if c["clerk_no"] == clerk_no]
    assert (mine["decided"], mine["first_pass"], mine["answers"], mine["rejections"]) == (2, 1, 3, 1)
    assert (mine["first_pass_rate"], mine["rejection_rate"]) == ("0.5000", "0.3333")
    assert (mine["submitted"], mine["claimed_amount"], mine["paid_amount"]) == (2, "865.50", "505.50")
    assert mine["late_submissions"] == 0
    assert report["decided"] >= 2


async def test_what_a_claim_refuses(stack: Stack) -> None:
    clerk = stack.client(token=stack.token("warranty_clerk", employee_no=employee_no("W"), username="clerk.two"))
    routine = await _warranty_order(stack, "maintenance", opened=datetime.now(SHANGHAI))
    not_warranty = await clerk.post(
        "/api/v1/warranty-claims",
        json={"repair_order_id": routine, "fault_code": "X", "description": "x", "lines": LINES},
    )
    assert not_warranty.status_code == 422 and not_warranty.json()["errors"][0]["name"] == "repair_order_id"
    both = await clerk.post(
        "/api/v1/warranty-claims",
        json={"repair_order_id": routine, "vin": vin(), "fault_code": "X", "description": "x", "lines": LINES},
    )
    assert both.status_code == 422
    undated = await clerk.post(
        "/api/v1/warranty-claims", json={"vin": vin(), "fault_code": "X", "description": "x", "lines": LINES}
    )
    assert undated.status_code == 422 and undated.json()["errors"][0]["name"] == "repaired_on"
    old = (datetime.now(SHANGHAI) - timedelta(days=45)).date().isoformat()
    body = {"vin": vin(), "repaired_on": old, "fault_code": "X", "description": "x", "lines": LINES}
    once = {"Idempotency-Key": f"claim-{body['vin']}"}
    claim = (await clerk.post("/api/v1/warranty-claims", json=body, headers=once)).json()
    replayed = await clerk.post("/api/v1/warranty-claims", json=body, headers=once)
    assert replayed.status_code == 201 and replayed.json()["id"] == claim["id"]  # a retry files nothing twice
    listed = (await clerk.get("/api/v1/warranty-claims", params={"vin": body["vin"]})).json()["items"]
    assert [c["id"] for c in listed] == [claim["id"]]
    skipped = await clerk.post(f"/api/v1/warranty-claims/{claim['id']}/transitions", json={"to": "paid", "amount": "1"})
    assert skipped.status_code == 409 and skipped.json()["allowed"] == ["cancelled", "submitted"]
    await clerk.post(f"/api/v1/warranty-claims/{claim['id']}/transitions", json={"to": "submitted"})
    unreasoned = await clerk.post(f"/api/v1/warranty-claims/{claim['id']}/transitions", json={"to": "rejected"})
    assert unreasoned.status_code == 422 and unreasoned.json()["errors"][0]["name"] == "reason"
    late = await clerk.get("/api/v1/warranty-claims", params={"late": "true", "state": "submitted"})
    assert claim["id"] in [c["id"] for c in late.json()["items"]]  # submitted 45 days after the repair
    advisor = stack.client(token=stack.token("service_advisor", employee_no="A-1", username="advisor.x"))
    assert (await advisor.get("/api/v1/warranty-claims")).status_code == 403


async def test_an_accident_repair_s_insurance_claim_from_report_to_payment(stack: Stack) -> None:
    admin, advisor_no = await _advisor(stack)
    advisor = stack.client(token=stack.token("service_advisor", employee_no=advisor_no, username="advisor.acc"))
    now = datetime.now(UTC).isoformat()
    order = await _opened(advisor, await _car(admin), advisor_no, type="accident", opened_at=now)
    insurer = f"INS-{advisor_no}"
    number = f"RDAA{advisor_no}"
    opened = await advisor.post(
        "/api/v1/insurance-claims",
        json={"repair_order_id": order["id"], "insurer": insurer, "claim_no": number, "referred": True},
    )
    assert opened.status_code == 201, opened.text
    claim = opened.json()
    assert (claim["state"], claim["allowed_transitions"]) == ("reported", ["assessed"])
    again = await advisor.post(
        "/api/v1/insurance-claims", json={"repair_order_id": order["id"], "insurer": insurer, "claim_no": "other"}
    )
    assert again.status_code == 409 and again.json()["claim_id"] == claim["id"]
    early = await advisor.post(
        f"/api/v1/insurance-claims/{claim['id']}/transitions",
        json={"to": "paid", "amount": "1.00", "on": "2026-11-20"},
    )
    assert early.status_code == 409 and early.json()["allowed"] == ["assessed"]
    over = await advisor.post(
        f"/api/v1/insurance-claims/{claim['id']}/transitions",
        json={"to": "assessed", "amount": "300.00", "on": "2026-11-03", "assessor": "王定损", "excess": "500.00"},
    )
    assert over.status_code == 422 and over.json()["errors"][0]["name"] == "excess"
    assessed = await advisor.post(
        f"/api/v1/insurance-claims/{claim['id']}/transitions",
        json={"to": "assessed", "amount": "8600.00", "on": "2026-11-03", "assessor": "王定损", "excess": "500.00"},
    )
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["insurer_amount"] == "8100.00"
    paid = await advisor.post(
        f"/api/v1/insurance-claims/{claim['id']}/transitions",
        json={"to": "paid", "amount": "8100.00", "on": "2026-11-17"},
    )
    assert paid.status_code == 200, paid.text
    assert (paid.json()["state"], paid.json()["days_to_pay"]) == ("paid", 14)

    listed = await advisor.get("/api/v1/insurance-claims", params={"repair_order_id": order["id"]})
    assert [c["id"] for c in listed.json()["items"]] == [claim["id"]]
    other = stack.client(token=stack.token("service_advisor", employee_no="A-ELSE", username="advisor.else"))
    assert (await other.get("/api/v1/insurance-claims", params={"insurer": insurer})).json()["items"] == []
    assert (await other.get(f"/api/v1/insurance-claims/{claim['id']}")).status_code == 403

    routine = await _opened(advisor, await _car(admin), advisor_no)
    refused = await advisor.post(
        "/api/v1/insurance-claims", json={"repair_order_id": routine["id"], "insurer": insurer, "claim_no": "x-1"}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["name"] == "repair_order_id"

    month = datetime.now(SHANGHAI).strftime("%Y-%m")
    manager = stack.client(token=stack.token("service_manager", employee_no=employee_no("M"), username="svc.manager"))
    report = (await manager.get("/api/v1/reports/insurance-claims", params={"month": month})).json()
    [mine] = [i for i in report["insurers"] if i["insurer"] == insurer]
    assert (mine["claims"], mine["referred"], mine["paid"], mine["average_days_to_pay"]) == (1, 1, 1, "14.0")
    assert (mine["assessed_amount"], mine["paid_amount"]) == ("8600.00", "8100.00")


async def test_a_stock_car_that_fails_its_pdi_waits_as_a_draft_claim(stack: Stack) -> None:
    admin = await login(stack)
    car = vin()
    arrival = {
        "vin": car,
        "model": "Lavida",
        "grade": "B",
        "colour": "white",
        "cost": "105000.00",
        "arrived_at": datetime.now(UTC).isoformat(),
    }
    assert (await admin.post("/api/v1/stock", json=arrival)).status_code == 201
    failed = await admin.post(f"/api/v1/stock/{car}/pdi", json={"result": "failed", "notes": "左前门划伤"})
    assert failed.status_code == 200, failed.text
    again = await admin.post(f"/api/v1/stock/{car}/pdi", json={"result": "failed", "notes": "仍未修复"})
    assert again.status_code == 200  # still failed: no second claim
    clerk_no = employee_no("W")
    clerk = stack.client(token=stack.token("warranty_clerk", employee_no=clerk_no, username=f"clerk.{clerk_no}"))

    async def drafted() -> list[dict[str, Any]]:
        return (await clerk.get("/api/v1/warranty-claims", params={"vin": car})).json()["items"]

    [draft] = await eventually(drafted)
    assert (draft["state"], draft["repair_order_id"], draft["lines"], draft["clerk_no"]) == ("draft", None, [], "")
    assert "左前门划伤" in draft["description"] and draft["fault_code"] == "PDI"
    bare = await clerk.post(f"/api/v1/warranty-claims/{draft['id']}/transitions", json={"to": "submitted"})
    assert bare.status_code == 422 and bare.json()["errors"][0]["name"] == "lines"
    paint = [{"kind": "labour", "description": "钣金喷漆", "quantity": "3", "unit_price": "120.00"}]
    submitted = await clerk.post(
        f"/api/v1/warranty-claims/{draft['id']}/transitions", json={"to": "submitted", "lines": paint}
    )
    assert submitted.status_code == 200, submitted.text
    assert (submitted.json()["claimed_amount"], submitted.json()["clerk_no"]) == ("360.00", clerk_no)
    assert len(await drafted()) == 1
