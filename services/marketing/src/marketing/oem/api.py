from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from marketing.oem import service

router = APIRouter(prefix="/api/v1/reports/oem", tags=["OEM report"])
Readers = Allowed(Permission.MARKETING_READ)
Month = Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]


class OemReport(BaseModel):
    month: str
    summary: dict[str, Any]
    plan: dict[str, Any]


class SentReport(BaseModel):
    month: str
    content: dict[str, Any]
    generated_at: datetime


@router.get("", response_model=OemReport)
async def oem_report(kit: KitDep, _: Readers, month: Month) -> dict[str, Any]:
    """MKT-9: the month's summary (campaigns with leads, orders, deliveries, spend and cost per lead and
    sale; advertising by medium; soft articles per portal) and the next month's ad plan, drawn now."""
    return await service.report(kit, month)


@router.get("/sent", response_model=SentReport, responses={409: {}})
async def sent_report(kit: KitDep, _: Readers, month: Month) -> dict[str, Any]:
    """The report as the scheduler sent it on the 25th."""
    return await service.sent(kit, month)
