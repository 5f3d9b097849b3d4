"""OWASP API Security checks across the platform through the gateway: object-level authorisation,
no mass assignment, broken tokens, oversized bodies, injection strings handled harmlessly, no secret
in the logs."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from factories import delivery, employee, mobile
from fours_devstack.testing import Stack
from servicekit.auth import issue_token
from test_first_flow import hired, known_to_leads, login


def _as(stack: Stack, role: str, employee_no: str | None) -> httpx.AsyncClient:
    return stack.client(token=stack.token(role, employee_no=employee_no, username=employee_no or role))


async def test_another_consultant_s_objects_are_out_of_reach(stack: Stack) -> None:
    admin = await login(stack)
    mine, theirs = [(await hired(admin, **employee()))["employee_no"] for _ in range(2)]
    me, other = _as(stack, "sales_consultant", mine), _as(stack, "sales_consultant", theirs)
    lead = (
        await me.post("/api/v1/leads", json={"customer": {"name": "甲", "mobile": mobile()}, "source": "phone"})
    ).json()
    await known_to_leads(admin, mine)
    sold = (await admin.post("/api/v1/deliveries", json=delivery(mine))).json()
    probes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/api/v1/leads/{lead['lead_id']}", None),
        ("POST", f"/api/v1/leads/{lead['lead_id']}/transitions", {"to": "contacted"}),
        (
            "POST",
            f"/api/v1/leads/{lead['lead_id']}/contacts",
            {"kind": "call", "outcome": "reached", "next_follow_up": "2030-01-01"},
        ),
        ("GET", f"/api/v1/customers/{lead['customer_id']}", None),
        ("PATCH", f"/api/v1/customers/{lead['customer_id']}", {"wechat_id": "stolen"}),
        ("GET", f"/api/v1/deliveries/{sold['delivery_id']}", None),
        ("POST", f"/api/v1/deliveries/{sold['delivery_id']}/cancel", {"reason": "x"}),
        ("GET", f"/api/v1/customers/{lead['customer_id']}/360", None),
    ]
    for method, path, body in probes:
        response = await other.request(method, path, json=body)
        assert response.status_code in (403, 404), (method, path, response.status_code, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (await me.get(f"/api/v1/leads/{lead['lead_id']}")).json()["state"] == "new"  # nothing changed


async def test_owner_status_and_amounts_are_not_mass_assignable(stack: Stack) -> None:
    admin = await login(stack)
    mine = (await hired(admin, **employee()))["employee_no"]
    me = _as(stack, "sales_consultant", mine)
    body = {
        "customer": {"name": "乙", "mobile": mobile()},
        "source": "phone",
        "state": "delivered",
        "version": 99,
        "owner_no": "SOMEONE-ELSE",
    }
    assert (await me.post("/api/v1/leads", json=body)).status_code == 403  # entering a lead for someone else
    created = (await me.post("/api/v1/leads", json={**body, "owner_no": mine})).json()
    assert (created["state"], created["version"], created["owner_no"]) == ("new", 1, mine)
    patched = await me.patch(
        f"/api/v1/customers/{created['customer_id']}",
        json={"owner_no": "X", "merged_into": "Y", "mobile": "13000000000"},
    )
    assert (
        patched.status_code == 200 and patched.json()["owner_no"] == mine and patched.json()["mobile"] != "13000000000"
    )
    role = await admin.post(
        "/api/v1/users",
        json={
            "username": f"u{mine.lower()}",
            "password": "a-long-password-1",
            "role": "sales_consultant",
            "employee_no": mine,
            "is_admin": True,
        },
    )
    assert role.status_code == 201 and "is_admin" not in role.json()


async def test_broken_tokens_are_401_problem_json(stack: Stack) -> None:
    good = stack.token("general_manager")
    claims = jwt.decode(good, options={"verify_signature": False})
    expired = issue_token(stack.private_key, subject="u", claims={"role": "general_manager"}, ttl=timedelta(seconds=-5))
    tokens = {
        "tampered": good[:-6] + ("AAAAAA" if not good.endswith("AAAAAA") else "BBBBBB"),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "expired": expired,
        "forged role": jwt.encode({**claims, "role": "general_manager", "sub": "x"}, "secret", algorithm="HS256"),
        "garbage": "not-a-token",
    }
    for name, token in tokens.items():
        async with stack.client(token=token) as api:
            response = await api.get("/api/v1/employees")
        assert response.status_code == 401, (name, response.status_code)
        assert response.headers["content-type"] == "application/problem+json", name
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        assert (await anon.get("/api/v1/employees")).status_code == 401


async def test_oversized_bodies_are_refused_with_413(stack: Stack) -> None:
    admin = await login(stack)
    huge = {"customer": {"name": "丙", "mobile": mobile()}, "source": "phone", "model": "x" * (5 * 1024 * 1024)}
    response = await admin.post("/api/v1/leads", json=huge)
    assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"
    direct = httpx.AsyncClient(base_url=stack.urls["leads"], headers=admin.headers)
    assert (await direct.post("/api/v1/leads", json=huge)).status_code == 413  # the service refuses it too


async def test_a_request_with_two_content_lengths_is_refused_before_any_app_sees_it(stack: Stack) -> None:
    """Request smuggling: which of two lengths counts is for nobody to guess (RFC 9112 §6.3). The
    server's parser answers 400 and closes, so the body limit can read the one Content-Length there is."""
    for name in ("gateway", "leads"):
        url = httpx.URL(stack.urls[name])
        reader, writer = await asyncio.open_connection(url.host, url.port)
        writer.write(
            b"POST /api/v1/leads HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b"content-length: 2\r\ncontent-length: 50000000\r\n\r\n{}"
        )
        answer = await asyncio.wait_for(reader.read(), timeout=10)  # read to the end: the server closes
        writer.close()
        assert answer.startswith(b"HTTP/1.1 400 "), (name, answer[:200])


async def test_injection_strings_are_data_not_code(stack: Stack) -> None:
    admin = await login(stack)
    attack = "Robert'); DROP TABLE customers;--"
    created = await admin.post(
        "/api/v1/leads", json={"customer": {"name": attack, "mobile": mobile()}, "source": "phone"}
    )
    assert created.status_code == 201
    found = (await admin.get("/api/v1/customers", params={"q": "'); DROP TABLE"})).json()["items"]
    assert attack in {c["name"] for c in found}
    assert (await admin.get("/api/v1/customers", params={"q": "%_%"})).status_code == 200
    assert (await admin.get("/api/v1/policies", params={"vin": "' OR '1'='1"})).json()["items"] == []
    assert (await admin.get("/api/v1/customers/1%20OR%201=1")).status_code == 404


async def test_no_secret_reaches_the_logs(stack: Stack, capsys: Any) -> None:
    from servicekit.logs import configure_logging

    password = "an-unusual-secret-7Q"
    configure_logging("DEBUG", "json")  # everything the services log, while the secrets pass through
    admin = await login(stack)
    username = f"sec{datetime.now(UTC).strftime('%H%M%S%f')}"
    await admin.post("/api/v1/users", json={"username": username, "password": password, "role": "finance"})
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        ok = await anon.post("/api/v1/auth/token", json={"username": username, "password": password})
        await anon.post("/api/v1/auth/token", json={"username": username, "password": password + "x"})
    token = ok.json()["access_token"]
    key = (
        await admin.post("/api/v1/api-keys", json={"name": "k", "partner": "audit-test", "scopes": ["leads:write"]})
    ).json()["key"]
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as partner:
        await partner.post(
            "/api/v1/integrations/leads", json={"customer": {"name": "丁", "mobile": mobile()}, "source": "website"}
        )
    configure_logging("WARNING", "console")
    output = capsys.readouterr()
    text = output.out + output.err
    assert '"event": "request"' in text and "/api/v1/auth/token" in text  # the logs were captured
    for secret in (password, token, key, stack.private_key.splitlines()[1]):
        assert secret not in text
