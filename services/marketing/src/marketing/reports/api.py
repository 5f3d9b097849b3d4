from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from marketing.reports import service

router = APIRouter(prefix="/api/v1/reports", tags=["attribution"])
Readers = Allowed(Permission.MARKETING_READ)


class CampaignFigures(BaseModel):
    campaign_code: str
    name: str
    month: str
    budget: Decimal
    spend: Decimal
    leads: int
    visits: int = 0
    orders: int = 0
    deliveries: int
    revenue: Decimal
    cost_per_lead: Decimal | None
    cost_per_sale: Decimal | None
    roi: Decimal | None


class Attribution(BaseModel):
    items: list[CampaignFigures]
    next_cursor: str | None = None


@router.get("/attribution", response_model=Attribution)
async def attribution(
    kit: KitDep, _: Readers, month: Annotated[str | None, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")] = None
) -> dict[str, Any]:
    return {"items": await service.report(kit, month)}


class ChannelFigures(BaseModel):
    channel: str | None
    leads: int
    visits: int
    orders: int
    deliveries: int
    revenue: Decimal
    spend: Decimal
    cost_per_lead: Decimal | None
    cost_per_sale: Decimal | None
    roi: Decimal | None


class ByChannel(BaseModel):
    items: list[ChannelFigures]


@router.get("/attribution/channels", response_model=ByChannel)
async def attribution_by_channel(
    kit: KitDep, _: Readers, month: Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
) -> dict[str, Any]:
    """Per channel over the month; spend is the advertising records' cost of that outlet."""
    return {"items": await service.by_channel(kit, month)}
