from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fours_contracts import Day, Mobile, VinFilter
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from insurance.policies import service

router = APIRouter(prefix="/api/v1/policies", tags=["policies"])
Readers = Allowed(Permission.POLICIES_READ)


class Policy(BaseModel):
    id: str
    insurer: str
    policy_no: str
    vin: str
    plate: str | None = None
    holder_name: str
    holder_mobile: str
    kind: str
    coverages: list[dict[str, Any]]
    premium: Decimal
    commission_rate: Decimal | None
    commission_amount: Decimal | None
    start_date: date
    end_date: date
    source: str
    version: int
    updated_at: datetime


@router.get("", response_model=Page[Policy])
async def find_policies(
    kit: KitDep,
    _: Readers,
    policy_no: Annotated[str | None, Query(max_length=64)] = None,
    vin: Annotated[VinFilter | None, Query()] = None,
    mobile: Annotated[Mobile | None, Query()] = None,
    plate: Annotated[str | None, Query(max_length=16)] = None,
    expiring_before: Day | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Cursor = None,
) -> Page[Policy]:
    items, next_cursor = await service.search(
        kit,
        policy_no=policy_no,
        vin=vin,
        mobile=mobile,
        plate=plate,
        expiring_before=expiring_before,
        limit=limit,
        cursor=cursor,
    )
    return Page[Policy](items=[Policy.model_validate(i) for i in items], next_cursor=next_cursor)
