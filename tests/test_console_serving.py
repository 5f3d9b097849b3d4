"""The console's side of the gateway: the browser session's cookie (HttpOnly, SameSite=Strict, on the
session path only, rotated, revoked on sign-out) and the built console at /console/ under a strict
Content-Security-Policy with a fresh nonce per page."""

import re

import httpx
import pytest
from fours_devstack import console
from fours_devstack.testing import ADMIN_PASSWORD, Stack


@pytest.fixture(scope="session")
def built_console() -> None:
    console.ensure_built()


async def test_a_browser_session_keeps_its_refresh_token_in_an_httponly_cookie_that_rotates(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as browser:
        opened = await browser.post("/api/v1/auth/session", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert opened.status_code == 200, opened.text
        assert set(opened.json()) == {"access_token", "token_type", "expires_in"}  # no refresh token in the body
        assert opened.headers["cache-control"] == "no-store"
        cookie = opened.headers["set-cookie"]
        for attribute in ("HttpOnly", "SameSite=strict", "Path=/api/v1/auth/session", "Max-Age="):
            assert attribute.lower() in cookie.lower(), cookie
        assert "secure" not in cookie.lower()  # plain http here; https (or GATEWAY_COOKIE_SECURE) adds it
        first = browser.cookies["fours_refresh"]

        me = await browser.get("/api/v1/me", headers={"authorization": f"Bearer {opened.json()['access_token']}"})
        assert me.json()["username"] == "admin"

        renewed = await browser.post("/api/v1/auth/session/refresh")
        assert renewed.status_code == 200, renewed.text
        assert browser.cookies["fours_refresh"] != first

        # The old cookie, replayed, is a stolen one: the whole session ends.
        async with httpx.AsyncClient(base_url=stack.urls["gateway"], cookies={"fours_refresh": first}) as thief:
            assert (await thief.post("/api/v1/auth/session/refresh")).status_code == 401
        assert (await browser.post("/api/v1/auth/session/refresh")).status_code == 401


async def test_sign_out_revokes_the_session_and_clears_the_cookie(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as browser:
        await browser.post("/api/v1/auth/session", json={"username": "admin", "password": ADMIN_PASSWORD})
        token = browser.cookies["fours_refresh"]
        closed = await browser.delete("/api/v1/auth/session")
        assert closed.status_code == 204
        assert 'fours_refresh=""' in closed.headers["set-cookie"] and "Max-Age=0" in closed.headers["set-cookie"]
        async with httpx.AsyncClient(base_url=stack.urls["gateway"], cookies={"fours_refresh": token}) as again:
            refused = await again.post("/api/v1/auth/session/refresh")
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("application/problem+json")
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anonymous:
        none = await anonymous.post("/api/v1/auth/session/refresh")
        assert none.status_code == 401 and none.json()["type"].endswith("/no-session")
        assert (await anonymous.delete("/api/v1/auth/session")).status_code == 204  # signing out twice is fine
        wrong = await anonymous.post("/api/v1/auth/session", json={"username": "admin", "password": "not it"})
        assert wrong.status_code == 401 and "set-cookie" not in wrong.headers


async def test_the_console_is_served_under_a_strict_policy_with_a_nonce_per_page(
    stack: Stack, built_console: None
) -> None:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as browser:
        root = await browser.get("/console")
        assert root.status_code == 308 and root.headers["location"] == "/console/"
        pages = [await browser.get(path) for path in ("/console/", "/console/sales/leads/some-lead")]
        nonces = []
        for page in pages:
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            policy = page.headers["content-security-policy"]
            assert "default-src 'none'" in policy and "script-src 'self'" in policy
            assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
            assert "frame-ancestors 'none'" in policy
            [nonce] = re.findall(r"'nonce-([^']+)'", policy)
            assert f'nonce="{nonce}"' in page.text and console_placeholder() not in page.text
            assert page.headers["cache-control"] == "no-store"
            nonces.append(nonce)
        assert nonces[0] != nonces[1]

        [script] = re.findall(r'src="(/console/assets/[^"]+\.js)"', pages[0].text)
        asset = await browser.get(script)
        assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
        assert asset.headers["x-content-type-options"] == "nosniff"
        for missing in ("/console/assets/nothing.js", "/console/assets/../../../pyproject.toml"):
            gone = await browser.get(missing)
            assert gone.status_code == 404 and gone.headers["content-type"].startswith("application/problem+json")


def console_placeholder() -> str:
    from gateway.console.api import NONCE_PLACEHOLDER

    return NONCE_PLACEHOLDER
