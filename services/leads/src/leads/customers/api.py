from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.pagination import Page
from servicekit.permissions import Allowed, Permission

from leads.customers import service
from leads.customers.rules import InvalidMobile, normalise_mobile

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])
Sales = Allowed(Permission.DELIVERIES_WRITE)


class Customer(BaseModel):
    id: str
    name: str
    mobile: str
    created_at: datetime


@router.get("", response_model=Page[Customer])
async def find_customers(
    kit: KitDep,
    principal: Sales,
    mobile: Annotated[str, Query(min_length=3, max_length=20, description="full number or a prefix of digits")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[Customer]:
    try:
        prefix = normalise_mobile(mobile)
    except InvalidMobile:
        prefix = "".join(ch for ch in mobile if ch.isdigit())
    items = await service.by_mobile_prefix(kit, prefix, limit=limit, by=principal)
    return Page[Customer](items=[Customer.model_validate(i) for i in items])


@router.get("/{customer_id}", response_model=Customer, responses={403: {}, 404: {}})
async def get_customer(customer_id: str, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.get(kit, customer_id, by=principal)
