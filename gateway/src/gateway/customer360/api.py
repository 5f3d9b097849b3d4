"""GET /api/v1/customers/{id}/360: one customer as the whole store sees them, fanned out in parallel.

A service that is down or slow leaves its part out and is named in ``partial``; the rest is served.
The insurance part joins when the insurance service has policies."""

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel
from servicekit.errors import Forbidden, NotFound, Problem
from servicekit.kit import KitDep

from gateway.routing.proxy import Caller, Unavailable, call, settings_of

router = APIRouter(tags=["customer 360"])


class Customer360(BaseModel):
    customer: dict[str, Any]
    deliveries: list[dict[str, Any]]
    vehicles: list[dict[str, Any]]
    repair_orders: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    complaints: list[dict[str, Any]]
    partial: list[str]
    """Services whose part is missing because they were down or slow."""


@router.get("/api/v1/customers/{customer_id}/360", response_model=Customer360, responses={403: {}, 404: {}})
async def customer_360(customer_id: str, request: Request, kit: KitDep, _: Caller) -> dict[str, Any]:
    timeout = settings_of(kit).customer360_timeout_seconds

    async def part(service: str, path: str, params: list[tuple[str, str]] | None = None) -> httpx.Response | None:
        try:
            return await asyncio.wait_for(call(kit, service, "GET", path, request, params=params), timeout)
        except (Unavailable, TimeoutError):
            return None

    customer, deliveries, aftersales = await asyncio.gather(
        part("leads", f"/api/v1/customers/{customer_id}"),
        part("leads", "/api/v1/deliveries", [("customer_id", customer_id)]),
        part("aftersales", f"/api/v1/owners/{customer_id}/summary"),
    )
    if customer is None:
        raise Unavailable("leads, which owns customers, is unavailable; retry shortly", headers={"Retry-After": "2"})
    if customer.status_code == 404:
        raise NotFound(f"customer {customer_id} not found")
    if customer.status_code == 403:
        raise Forbidden(customer.json().get("detail", "not your customer"))
    if customer.status_code != 200:
        raise Problem(f"leads answered {customer.status_code}", status=502, code="bad-gateway")
    partial = []
    view: dict[str, Any] = {"customer": customer.json(), "deliveries": [], "vehicles": [], "repair_orders": [],
                            "follow_ups": [], "complaints": []}  # fmt: skip
    if deliveries is not None and deliveries.status_code == 200:
        view["deliveries"] = deliveries.json()["items"]
    else:
        partial.append("leads")
    if aftersales is not None and aftersales.status_code == 200:
        body = aftersales.json()
        for key in ("vehicles", "repair_orders", "follow_ups", "complaints"):
            view[key] = body[key]
    else:
        partial.append("aftersales")
    return {**view, "partial": partial}
