"""The showroom's leads: entry, LEAD-2 matching, LEAD-4 moves, contacts, visits and LEAD-3, portal intake."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from factories import employee, mobile
from fours_devstack.testing import Stack, eventually
from test_first_flow import hired, login

ADF = """<?xml version="1.0" encoding="UTF-8"?>
<adf>
  <prospect>
    <requestdate>2026-11-24T09:12:00+08:00</requestdate>
    <vehicle interest="buy" status="new"><make>Volkswagen</make><model>Tiguan L</model></vehicle>
    <customer><contact><name part="last">刘</name><name part="first">洋</name>
      <phone type="cellphone">+86 (139) 1234-{tail}</phone></contact></customer>
    <provider><name>autohome</name></provider>
  </prospect>
  <prospect>
    <vehicle><model>Lavida</model></vehicle>
    <customer><contact><name part="full">陈静</name><phone>139-8765-{tail}</phone></contact></customer>
  </prospect>
</adf>"""


async def _consultants(stack: Stack, n: int) -> tuple[Any, list[str]]:
    admin = await login(stack)
    return admin, [(await hired(admin, **employee()))["employee_no"] for _ in range(n)]


def _as(stack: Stack, employee_no: str) -> httpx.AsyncClient:
    return stack.client(token=stack.token("sales_consultant", employee_no=employee_no, username=employee_no))


async def test_a_lead_moves_through_the_funnel_and_refuses_other_moves_naming_the_allowed(stack: Stack) -> None:
    _, [s1] = await _consultants(stack, 1)
    me = _as(stack, s1)
    created = await me.post(
        "/api/v1/leads",
        json={
            "customer": {"name": "吴先生", "mobile": mobile()},
            "source": "showroom",
            "campaign_code": "SPRING-2027",
            "model": "Tiguan L",
        },
    )
    assert created.status_code == 201, created.text
    lead = created.json()
    assert (lead["state"], lead["owner_no"], lead["known_customer"]) == ("new", s1, False)
    skip = await me.post(f"/api/v1/leads/{lead['lead_id']}/transitions", json={"to": "quoted"})
    assert skip.status_code == 409 and skip.json()["allowed"] == ["contacted", "lost", "visited"]
    called = await me.post(
        f"/api/v1/leads/{lead['lead_id']}/contacts",
        json={"kind": "call", "outcome": "reached", "next_follow_up": "2026-11-28"},
    )
    assert called.status_code == 201 and called.json()["state"] == "contacted"
    for to in ("visited", "test_driven", "quoted"):
        assert (await me.post(f"/api/v1/leads/{lead['lead_id']}/transitions", json={"to": to})).status_code == 200
    no_reason = await me.post(f"/api/v1/leads/{lead['lead_id']}/transitions", json={"to": "lost"})
    assert no_reason.status_code == 422
    lost = await me.post(f"/api/v1/leads/{lead['lead_id']}/transitions", json={"to": "lost", "lost_reason": "price"})
    assert lost.json()["state"] == "lost" and lost.json()["allowed_transitions"] == ["contacted"]
    other = _as(stack, "S-NOBODY")
    assert (await other.get(f"/api/v1/leads/{lead['lead_id']}")).status_code == 403


async def test_a_second_lead_for_a_known_mobile_attaches_to_the_customer_and_owner(stack: Stack) -> None:
    admin, [s1] = await _consultants(stack, 1)
    number = mobile()
    first = (
        await _as(stack, s1).post(
            "/api/v1/leads", json={"customer": {"name": "郑女士", "mobile": number}, "source": "phone"}
        )
    ).json()
    second = await admin.post(
        "/api/v1/leads",
        json={
            "customer": {"name": "郑女士", "mobile": f"+86 {number[:3]}-{number[3:7]}-{number[7:]}"},
            "source": "website",
        },
    )
    assert second.status_code == 201
    assert second.json()["customer_id"] == first["customer_id"] and second.json()["known_customer"] is True
    assert second.json()["owner_no"] == s1


async def test_visits_apply_the_ownership_rule(stack: Stack) -> None:
    admin, [s1, s2] = await _consultants(stack, 2)
    lead = (
        await _as(stack, s1).post(
            "/api/v1/leads", json={"customer": {"name": "冯先生", "mobile": mobile()}, "source": "showroom"}
        )
    ).json()
    t0 = datetime.now(UTC) - timedelta(days=20)
    first = await admin.post(
        "/api/v1/visits", json={"customer_id": lead["customer_id"], "at": t0.isoformat(), "received_by": s1}
    )
    assert first.status_code == 201 and first.json()["owner_after"] == s1
    back = await admin.post(
        "/api/v1/visits",
        json={"customer_id": lead["customer_id"], "at": (t0 + timedelta(days=10)).isoformat(), "received_by": s2},
    )
    assert back.json()["owner_after"] == s2 and "more than a week" in back.json()["reason"]
    moved = await admin.get(f"/api/v1/leads/{lead['lead_id']}")
    assert moved.json()["owner_no"] == s2 and moved.json()["state"] == "visited"


async def test_portals_push_adf_xml_and_json_with_an_api_key(stack: Stack) -> None:
    admin = await login(stack)
    key = (
        await admin.post(
            "/api/v1/api-keys", json={"name": "autohome", "partner": "autohome", "scopes": ["leads:write"]}
        )
    ).json()["key"]
    tail = mobile()[-4:]
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as portal:
        xml = await portal.post(
            "/api/v1/integrations/leads",
            content=ADF.format(tail=tail).encode(),
            headers={"content-type": "application/xml"},
        )
        assert xml.status_code == 201, xml.text
        assert len(xml.json()["leads"]) == 2
        lead = (await admin.get(f"/api/v1/leads/{xml.json()['lead_id']}")).json()
        assert (lead["source"], lead["channel"], lead["model"]) == ("auto_portal", "autohome", "Volkswagen Tiguan L")
        body = {"customer": {"name": "韩先生", "mobile": mobile()}, "source": "website", "model": "Passat"}
        assert (await portal.post("/api/v1/integrations/leads", json=body)).status_code == 201

        missing = ADF.format(tail=tail).replace("<phone>139-8765-" + tail + "</phone>", "")
        refused = await portal.post(
            "/api/v1/integrations/leads", content=missing.encode(), headers={"content-type": "text/xml"}
        )
        assert refused.status_code == 422 and refused.json()["errors"][0]["name"] == "prospect.1.customer.contact.phone"
        malformed = await portal.post(
            "/api/v1/integrations/leads", content=b"<adf><prospect>", headers={"content-type": "application/xml"}
        )
        assert malformed.status_code == 422 and malformed.json()["type"].endswith("invalid-adf")
        bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><adf>&lol2;</adf>'
        assert (
            await portal.post("/api/v1/integrations/leads", content=bomb, headers={"content-type": "application/xml"})
        ).status_code == 422
        xxe = b'<?xml version="1.0"?><!DOCTYPE adf [<!ENTITY x SYSTEM "file:///etc/passwd">]><adf>&x;</adf>'
        assert (
            await portal.post("/api/v1/integrations/leads", content=xxe, headers={"content-type": "application/xml"})
        ).status_code == 422

    async def known() -> bool:  # the refused document stored nothing: its first prospect is not there twice
        found = (await admin.get("/api/v1/customers", params={"mobile": f"1391234{tail}"})).json()["items"]
        return len(found) == 1

    await eventually(known)
