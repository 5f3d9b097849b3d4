"""GET /api/v1/customers/{id}/360: one customer as the whole store sees them, fanned out in parallel.

Leads (customer, leads, orders, deliveries), aftersales (vehicles, repair orders, follow-ups,
complaints) and insurance (policies held under the customer's mobile, and their renewals). A service
that is down or slow leaves its part out and is named in ``partial``; the rest is served."""

import asyncio
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from pydantic import BaseModel
from servicekit.errors import Forbidden, NotFound, Problem
from servicekit.kit import KitDep

from gateway.routing.service import Answer, Caller, Unavailable, call, outgoing_headers, settings_of

router = APIRouter(tags=["customer 360"])


class Customer360(BaseModel):
    customer: dict[str, Any]
    leads: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]
    vehicles: list[dict[str, Any]]
    repair_orders: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    complaints: list[dict[str, Any]]
    policies: list[dict[str, Any]]
    renewals: list[dict[str, Any]]
    """Renewals of the customer's policies that the caller works (a specialist or advisor: those
    assigned to them; the insurance manager and the GM: all; a role that works no renewals: none)."""
    partial: list[str]
    """Services whose part is missing because they were down or slow."""


@router.get("/api/v1/customers/{customer_id}/360", response_model=Customer360, responses={403: {}, 404: {}})
async def customer_360(customer_id: str, request: Request, kit: KitDep, _: Caller) -> dict[str, Any]:
    timeout = settings_of(kit).customer360_timeout_seconds
    headers = outgoing_headers(request.scope["headers"], request.state.forward_authorization)

    async def part(service: str, path: str, params: list[tuple[str, str]] | None = None) -> Answer | None:
        try:
            return await asyncio.wait_for(call(kit, service, "GET", path, headers, params=params), timeout)
        except (Unavailable, TimeoutError):
            return None

    by_customer = [("customer_id", customer_id)]
    in_path = quote(customer_id, safe="")
    customer, leads, orders, deliveries, aftersales = await asyncio.gather(
        part("leads", f"/api/v1/customers/{in_path}"),
        part("leads", "/api/v1/leads", [*by_customer, ("limit", "200")]),
        part("leads", "/api/v1/orders", [*by_customer, ("limit", "200")]),
        part("leads", "/api/v1/deliveries", by_customer),
        part("aftersales", f"/api/v1/owners/{in_path}/summary"),
    )
    if customer is None:
        raise Unavailable("leads, which owns customers, is unavailable; retry shortly", headers={"Retry-After": "2"})
    if customer.status_code == 404:
        raise NotFound(f"customer {customer_id} not found")
    if customer.status_code == 403:
        raise Forbidden(customer.json().get("detail", "not your customer"))
    if customer.status_code != 200:
        raise Problem(f"leads answered {customer.status_code}", status=502, code="bad-gateway")
    found = customer.json()
    by_mobile = [("mobile", found["mobile"]), ("limit", "100")]
    policies, renewals = await asyncio.gather(
        part("insurance", "/api/v1/policies", by_mobile), part("insurance", "/api/v1/renewals", by_mobile)
    )
    partial = []
    view: dict[str, Any] = {
        "customer": found,
        "leads": [],
        "orders": [],
        "deliveries": [],
        "vehicles": [],
        "repair_orders": [],
        "follow_ups": [],
        "complaints": [],
        "policies": [],
        "renewals": [],
    }
    sales = {"leads": leads, "orders": orders, "deliveries": deliveries}
    for key, answer in sales.items():
        if answer is not None and answer.status_code == 200:
            view[key] = answer.json()["items"]
    if any(answer is None or answer.status_code != 200 for answer in sales.values()):
        partial.append("leads")
    if policies is not None and policies.status_code == 200:
        view["policies"] = policies.json()["items"]
    if renewals is not None and renewals.status_code == 200:
        view["renewals"] = renewals.json()["items"]
    renewals_missing = renewals is None or renewals.status_code not in (200, 403)  # 403: a role without renewals
    if policies is None or policies.status_code != 200 or renewals_missing:
        partial.append("insurance")
    if aftersales is not None and aftersales.status_code == 200:
        body = aftersales.json()
        for key in ("vehicles", "repair_orders", "follow_ups", "complaints"):
            view[key] = body[key]
    else:
        partial.append("aftersales")
    return {**view, "partial": sorted(partial)}
