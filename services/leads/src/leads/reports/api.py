from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from servicekit.errors import Unprocessable, field_error
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from leads.reports import service

router = APIRouter(prefix="/api/v1/reports", tags=["sales reports"])
Sales = Allowed(Permission.LEADS_WRITE)


class FunnelRow(BaseModel):
    key: str | None = Field(description="consultant no, team, source or period start; null: not known")
    leads: int
    contacts: int
    visits: int
    test_drives: int
    quotes: int
    orders: int
    deliveries: int
    lost: int
    lost_reasons: dict[str, int]
    test_drive_rate: Decimal | None
    closing_rate: Decimal | None
    conversion_rate: Decimal | None


class Funnel(BaseModel):
    from_: date = Field(alias="from")
    to: date
    by: str
    rows: list[FunnelRow]
    total: FunnelRow


@router.get("/funnel", response_model=Funnel, response_model_by_alias=True, responses={422: {}})
async def funnel(
    kit: KitDep,
    principal: Sales,
    from_: Annotated[date, Query(alias="from")],
    to: date,
    by: Literal["consultant", "team", "source", "day", "week", "month"] = "consultant",
) -> dict[str, Any]:
    """LEAD-10 over ``from``..``to`` (dates in Shanghai, inclusive), within the caller's data scope."""
    if to < from_ or (to - from_).days > 366:
        raise Unprocessable("the period runs forwards and at most a year", errors=[field_error("to", "bad period")])
    return await service.funnel(kit, start=from_, end=to, by=by, principal=principal)
