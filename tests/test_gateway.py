"""The gateway as the one door: accounts, tokens, API keys, rate limits, breakers, audit."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from factories import employee, mobile, vin
from fours_devstack.broker import free_port
from fours_devstack.testing import ADMIN_PASSWORD, Stack, another_gateway, eventually
from gateway.audit.service import AuditWriter
from test_first_flow import login


async def _tokens(stack: Stack, username: str, password: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        return await anon.post("/api/v1/auth/token", json={"username": username, "password": password})


async def _refresh(stack: Stack, token: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        return await anon.post("/api/v1/auth/refresh", json={"refresh_token": token})


async def test_refresh_rotates_and_reusing_an_old_refresh_token_revokes_the_family(stack: Stack) -> None:
    first = (await _tokens(stack, "admin", ADMIN_PASSWORD)).json()
    second = await _refresh(stack, first["refresh_token"])
    assert second.status_code == 200 and second.json()["refresh_token"] != first["refresh_token"]
    reused = await _refresh(stack, first["refresh_token"])
    assert reused.status_code == 401 and reused.json()["type"].endswith("refresh-token-reused")
    assert (await _refresh(stack, second.json()["refresh_token"])).status_code == 401  # the family is gone


async def test_expired_access_token_is_401_token_expired(stack: Stack) -> None:
    expired = stack.token(ttl=timedelta(seconds=-1))
    async with stack.client(token=expired) as api:
        response = await api.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["type"].endswith("token-expired")


async def test_admin_manages_users_and_a_deactivated_user_is_out(stack: Stack) -> None:
    admin = await login(stack)
    body = {
        "username": "li.na",
        "password": "correct horse battery",
        "role": "sales_consultant",
        "employee_no": "S7001",
        "team": "showroom-2",
    }
    created = await admin.post("/api/v1/users", json=body)
    assert created.status_code == 201, created.text
    assert (await admin.post("/api/v1/users", json=body)).status_code == 409
    user_id = created.json()["id"]
    tokens = (await _tokens(stack, "li.na", "correct horse battery")).json()
    async with stack.client(token=tokens["access_token"]) as me:
        assert (await me.get("/api/v1/me")).json()["employee_no"] == "S7001"
        assert (await me.get("/api/v1/users")).status_code == 403
        changed = await me.post(
            "/api/v1/auth/password",
            json={"current_password": "correct horse battery", "new_password": "a new long secret"},
        )
        assert changed.status_code == 204
    assert (await _tokens(stack, "li.na", "correct horse battery")).status_code == 401
    fresh = (await _tokens(stack, "li.na", "a new long secret")).json()
    patched = await admin.patch(f"/api/v1/users/{user_id}", json={"active": False, "team": "showroom-3"})
    assert patched.status_code == 200 and patched.json()["active"] is False
    assert (await _tokens(stack, "li.na", "a new long secret")).status_code == 401
    assert (await _refresh(stack, fresh["refresh_token"])).status_code == 401
    assert any(u["username"] == "li.na" for u in (await admin.get("/api/v1/users")).json()["items"])
    roles = (await admin.get("/api/v1/roles")).json()
    hr = next(r for r in roles if r["role"] == "hr_manager")
    assert {"employees:write", "payroll:run", "payroll:inputs"} <= set(hr["permissions"])


async def test_repeated_wrong_passwords_lock_the_account(stack: Stack) -> None:
    admin = await login(stack)
    body = {"username": "lock.me", "password": "the right password", "role": "finance"}
    assert (await admin.post("/api/v1/users", json=body)).status_code == 201
    for _ in range(5):
        assert (await _tokens(stack, "lock.me", "wrong")).status_code == 401
    locked = await _tokens(stack, "lock.me", "the right password")
    assert locked.status_code == 401 and locked.json()["type"].endswith("account-locked")


async def test_api_key_reaches_only_its_scopes_and_stops_when_revoked(stack: Stack) -> None:
    admin = await login(stack)
    bad_scope = await admin.post("/api/v1/api-keys", json={"name": "x", "partner": "picc", "scopes": ["everything"]})
    assert bad_scope.status_code == 422
    created = await admin.post(
        "/api/v1/api-keys", json={"name": "PICC renewals", "partner": "picc", "scopes": ["vehicles:read"]}
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key.startswith("fsk_") and "key" not in (await admin.get("/api/v1/api-keys")).json()["items"][0]
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as partner:
        assert (await partner.get(f"/api/v1/vehicles/{vin()}")).status_code == 404  # allowed through, car unknown
        denied = await partner.post("/api/v1/deliveries", json={})
        assert denied.status_code == 403
        assert (await partner.post("/api/v1/users", json={})).status_code == 401  # the gateway's own API wants a user
    listed = {k["id"]: k for k in (await admin.get("/api/v1/api-keys")).json()["items"]}
    assert listed[created.json()["id"]]["last_used_at"] is not None
    assert (await admin.delete(f"/api/v1/api-keys/{created.json()['id']}")).status_code == 204
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        assert (await anon.get(f"/api/v1/vehicles/{vin()}", headers={"X-API-Key": key})).status_code == 401
        assert (await anon.get(f"/api/v1/vehicles/{vin()}", headers={"X-API-Key": "fsk_nope_nope"})).status_code == 401


async def _limited_key(stack: Stack, partner: str, per_minute: int) -> str:
    """An API key of ``partner`` that may read vehicles, ``per_minute`` times a minute."""
    admin = await login(stack)
    created = await admin.post(
        "/api/v1/api-keys",
        json={"name": "portal", "partner": partner, "scopes": ["vehicles:read"], "rate_per_minute": per_minute},
    )
    assert created.status_code == 201, created.text
    key: str = created.json()["key"]
    return key


async def test_rate_limit_per_key_answers_429_with_retry_after(stack: Stack) -> None:
    key = await _limited_key(stack, "autohome", 18)
    async with httpx.AsyncClient(base_url=stack.urls["gateway"], headers={"X-API-Key": key}) as partner:
        codes = [(await partner.get(f"/api/v1/vehicles/{vin()}")).status_code for _ in range(3)]
        limited = await partner.get(f"/api/v1/vehicles/{vin()}")
    assert codes == [404, 404, 404] and limited.status_code == 429  # a burst of ten seconds' worth
    assert int(limited.headers["retry-after"]) >= 1 and limited.json()["type"].endswith("rate-limited")


async def test_a_stopped_service_gives_503_for_its_routes_while_the_rest_works(
    stack: Stack, postgres_url: str, kafka_bootstrap: str, jwt_keys: tuple[str, str]
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    async with (
        another_gateway(
            stack,
            postgres_url,
            kafka_bootstrap,
            jwt_keys,
            aftersales_url=dead,
            breaker_threshold=2,
            breaker_cooldown_seconds=30,
        ) as second,
        second.client(token=stack.token()) as api,
    ):
        for _ in range(2):
            down = await api.get(f"/api/v1/vehicles/{vin()}")
            assert down.status_code == 503 and down.headers["content-type"] == "application/problem+json"
        tripped = await api.get(f"/api/v1/vehicles/{vin()}")
        assert tripped.status_code == 503 and int(tripped.headers["retry-after"]) > 1
        assert (await api.get("/api/v1/employees/NOBODY")).status_code == 404  # payroll still answers
        ready = await api.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["aftersales"].startswith("unavailable")
        assert (await api.get("/readyz", params={"self": "true"})).status_code == 200


async def test_every_change_is_audited_with_who_and_request_id(stack: Stack) -> None:
    admin = await login(stack)
    response = await admin.post("/api/v1/employees", json=employee(), headers={"X-Request-ID": "audit-me-1"})
    assert response.status_code == 201

    async def entry() -> dict | None:
        items = (await admin.get("/api/v1/audit", params={"actor": "admin", "limit": 50})).json()["items"]
        return next((i for i in items if i["request_id"] == "audit-me-1"), None)

    found = await eventually(entry)
    assert (found["method"], found["path"], found["status"], found["role"]) == (
        "POST",
        "/api/v1/employees",
        201,
        "general_manager",
    )
    async with stack.client(token=stack.token("hr_manager", employee_no="H2")) as hr:
        assert (await hr.get("/api/v1/audit")).status_code == 403
    await asyncio.sleep(0)


async def test_a_burst_of_changes_is_audited_in_order_and_what_waits_is_written_when_the_gateway_stops(
    stack: Stack,
) -> None:
    admin = await login(stack)
    for n in range(5):  # one after the other, so their audit records go in one batch
        await admin.post("/api/v1/employees", json=employee(), headers={"X-Request-ID": f"burst-{n}"})

    async def burst() -> list[dict] | None:
        items = (await admin.get("/api/v1/audit", params={"actor": "admin", "limit": 100})).json()["items"]
        found = [i for i in items if (i["request_id"] or "").startswith("burst-")]
        return found if len(found) == 5 else None

    found = sorted(await eventually(burst), key=lambda i: i["request_id"])
    assert [i["at"] for i in found] == sorted(i["at"] for i in found) and len({i["at"] for i in found}) == 5

    writer = AuditWriter(stack.kit("gateway"))  # as at shutdown: nothing is left unwritten
    writer.add(
        {
            "at": datetime.now(UTC),
            "actor": "admin",
            "actor_kind": "user",
            "role": "general_manager",
            "method": "DELETE",
            "path": "/api/v1/x",
            "status": 204,
            "request_id": "written-at-stop",
        }
    )
    await writer.close()
    items = (await admin.get("/api/v1/audit", params={"actor": "admin", "limit": 100})).json()["items"]
    assert any(i["request_id"] == "written-at-stop" for i in items)


async def test_proxied_calls_pass_query_and_body_on_as_they_came_and_are_counted_under_one_route(
    stack: Stack,
) -> None:
    token = stack.token()
    tag = vin()[-6:]
    async with (
        stack.client(token=token) as api,
        stack.client("leads", token=token) as leads,
        stack.client("aftersales", token=token) as aftersales,
    ):
        lead = {"source": "showroom", "model": "Lavida", "customer": {"name": f"欧阳 {tag}+1", "mobile": mobile()}}
        created = await api.post("/api/v1/leads", json=lead)
        assert created.status_code == 201, created.text
        query = f"q=%E9%98%B3+{tag}%2B1&limit=5&limit=5"  # UTF-8 escapes, "+" as a space, an escaped "+"
        through, direct = await api.get(f"/api/v1/customers?{query}"), await leads.get(f"/api/v1/customers?{query}")
        assert through.status_code == direct.status_code == 200
        assert through.json() == direct.json() and [c["id"] for c in through.json()["items"]] == [
            created.json()["customer_id"]
        ]
        escaped = "/api/v1/vehicles/%E4%B8%AD%2F1"  # escapes in the path: the answer is the service's own
        through, direct = await api.get(escaped), await aftersales.get(escaped)
        assert through.status_code == direct.status_code == 404 and through.json() == direct.json()
        unknown = await api.get("/api/v1/no-such-things/1")
        assert unknown.status_code == 404 and unknown.json()["detail"] == "no resource /api/v1/no-such-things/1"
        assert unknown.headers["content-type"] == "application/problem+json"
        metrics = (await api.get("/metrics")).text
    assert 'method="GET",route="/api/v1/{path:path}",status="200"' in metrics


async def test_gateway_replicas_share_each_rate_limit(
    stack: Stack, postgres_url: str, kafka_bootstrap: str, jwt_keys: tuple[str, str]
) -> None:
    async def replicas_seen(*gateways: Stack, expected: float) -> bool:
        for gateway in gateways:
            async with gateway.client() as probe:
                metrics = (await probe.get("/metrics")).text
            if f"gateway_replicas {expected}" not in metrics.splitlines():
                return False
        return True

    async with another_gateway(stack, postgres_url, kafka_bootstrap, jwt_keys, replica_heartbeat_seconds=0.2) as second:
        await eventually(lambda: replicas_seen(stack, second, expected=2.0))
        key = await _limited_key(stack, "yiche", 60)
        async with httpx.AsyncClient(base_url=second.urls["gateway"], headers={"X-API-Key": key}) as partner:
            codes = [(await partner.get(f"/api/v1/vehicles/{vin()}")).status_code for _ in range(6)]
        assert codes == [404] * 5 + [429]  # ten seconds' worth of this replica's half: 5
    await eventually(lambda: replicas_seen(stack, expected=1.0))  # the stopped one said goodbye
