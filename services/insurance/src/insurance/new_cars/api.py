from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from insurance.new_cars import service

router = APIRouter(prefix="/api/v1/reports", tags=["insurance reports"])
Readers = Allowed(Permission.POLICIES_READ)


class Penetration(BaseModel):
    month: str
    delivered: int
    insured_through_store: int
    penetration: Decimal | None


@router.get("/insurance-penetration", response_model=Penetration)
async def insurance_penetration(
    kit: KitDep, _: Readers, month: Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
) -> dict[str, Any]:
    return await service.penetration(kit, month)
