from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from servicekit.auth import CurrentPrincipal
from servicekit.errors import Forbidden
from servicekit.kit import KitDep
from servicekit.permissions import Permission, holds

from payroll.commissions import service

router = APIRouter(prefix="/api/v1/commissions", tags=["commissions"])


class CommissionLine(BaseModel):
    code: str
    vin: str
    delivery_id: str
    rule: str
    amount: Decimal
    source_event_id: str


class Commissions(BaseModel):
    employee_no: str
    month: str
    plan_code: str
    items: list[CommissionLine]
    total: Decimal


@router.get("", response_model=Commissions)
async def list_commissions(
    kit: KitDep,
    principal: CurrentPrincipal,
    employee_no: Annotated[str, Query(pattern=r"^[A-Za-z0-9_-]{1,32}$")],
    month: Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2026-11"])],
) -> Commissions:
    if principal.employee_no != employee_no and not holds(principal, Permission.COMMISSIONS_READ):
        raise Forbidden("you may read only your own commissions")
    return Commissions.model_validate(await service.commissions(kit, employee_no, month))
