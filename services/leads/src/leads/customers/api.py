from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fours_contracts import Day, InvalidMobile, normalise_mobile
from pydantic import BaseModel, Field, StrictBool
from servicekit.concurrency import IfMatch
from servicekit.kit import KitDep
from servicekit.pagination import Page
from servicekit.permissions import Allowed, Permission

from leads.customers import service

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])
Sales = Allowed(Permission.DELIVERIES_WRITE)
Manager = Allowed(Permission.LEADS_MANAGE)
StaffNo = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]


class Customer(BaseModel):
    id: str
    name: str
    mobile: str
    wechat_id: str | None = None
    birthday: date | None = None
    address: str | None = None
    company: str | None = None
    key_account_agreement: bool = False
    """The company signed an agreement with the store: a key account (LEAD-3)."""
    owner_no: str | None = None
    merged_into: str | None = None
    version: int = 1
    created_at: datetime


class OwnershipChange(BaseModel):
    owner_before: str | None
    owner_after: str | None
    cause: str
    reason: str
    by: str
    at: datetime


class CustomerDetail(Customer):
    ownership_history: list[OwnershipChange] = []
    merged: list[str] = []


class ProfileIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)] = None  # type: ignore[assignment]
    """Left out, the name stays; it cannot be removed, so null is no name (the schema says string)."""
    wechat_id: Annotated[str | None, Field(max_length=64)] = None
    birthday: Day | None = None
    address: Annotated[str | None, Field(max_length=300)] = None
    company: Annotated[str | None, Field(max_length=200, description="set for company/group/institution buyers")] = None
    key_account_agreement: StrictBool = False
    """LEAD-3: only a company with a signed agreement is a key account; without one it is the showroom's."""


class ReassignIn(BaseModel):
    owner_no: StaffNo
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class MergeIn(BaseModel):
    duplicate_id: Annotated[str, Field(min_length=1, max_length=64)]


@router.get("", response_model=Page[Customer], responses={422: {}})
async def find_customers(
    kit: KitDep,
    principal: Sales,
    mobile: Annotated[
        str | None,
        Query(
            min_length=3,
            max_length=20,
            pattern=r"^[0-9+\s\-().]*[0-9][0-9+\s\-().]*$",
            description="full number or a prefix of digits",
        ),
    ] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=50, description="part of the customer's name")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[Customer]:
    """By mobile (a whole number or the first digits), by a part of the name, or the newest first."""
    prefix = None
    if mobile is not None:
        try:
            prefix = normalise_mobile(mobile)
        except InvalidMobile:
            prefix = "".join(ch for ch in mobile if ch.isdigit())
    items = await service.search(kit, mobile_prefix=prefix, name=q, limit=limit, by=principal)
    return Page[Customer](items=[Customer.model_validate(i) for i in items])


@router.get("/{customer_id}", response_model=CustomerDetail, responses={403: {}, 404: {}})
async def get_customer(customer_id: str, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.get(kit, customer_id, by=principal)


@router.patch("/{customer_id}", response_model=CustomerDetail, responses={403: {}, 404: {}, 409: {}, 412: {}})
async def update_customer(
    customer_id: str, body: ProfileIn, kit: KitDep, principal: Sales, if_match: IfMatch = None
) -> dict[str, Any]:
    """The profile: name, WeChat id, birthday (greetings are planned from it), address, company."""
    changes = body.model_dump(exclude_unset=True)
    return await service.update_profile(kit, customer_id, changes, by=principal, if_match=if_match)


@router.post("/{customer_id}/reassign", response_model=CustomerDetail, responses={403: {}, 404: {}, 409: {}, 422: {}})
async def reassign(customer_id: str, body: ReassignIn, kit: KitDep, principal: Manager) -> dict[str, Any]:
    """LEAD-3: the sales manager gives the customer (open leads and work) to another consultant."""
    return await service.reassign(kit, customer_id, body.owner_no, body.reason, by=principal)


@router.post("/{customer_id}/merge", response_model=CustomerDetail, responses={403: {}, 404: {}, 409: {}, 422: {}})
async def merge(customer_id: str, body: MergeIn, kit: KitDep, principal: Manager) -> dict[str, Any]:
    """Merge a duplicate found later into this customer, keeping both histories."""
    return await service.merge(kit, customer_id, body.duplicate_id, by=principal)
