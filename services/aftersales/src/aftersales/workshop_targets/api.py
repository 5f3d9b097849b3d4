from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from fours_contracts.decimals import Decimals
from pydantic import BaseModel
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from aftersales.workshop_targets import service

router = APIRouter(prefix="/api/v1/workshop-targets", tags=["workshop targets"])
Managers = Allowed(Permission.WORKSHOP_MANAGE)
Output = Annotated[Decimal, Decimals(ge=0, digits=14)]
Year = Annotated[int, Path(ge=2000, le=2100)]


class WorkshopTargetsIn(BaseModel):
    routine: Output
    """日常维修(含保修): the year's routine output, warranty included (seed: 1,800,000)."""
    accident: Output
    """事故车: the year's accident output (seed: 400,000)."""
    stretch_routine: Output
    stretch_accident: Output
    csi: Annotated[Decimal, Decimals(ge=0, le=1000, digits=5, places=1)]
    """On the 1000-point scale (seed: 900)."""
    survey: Annotated[Decimal, Decimals(ge=0, le=100, digits=4, places=1)]
    """The ten-item survey on its 100-point scale (seed: 92)."""


class WorkshopTargets(WorkshopTargetsIn):
    year: int
    source: Literal["store", "default"]
    """``default``: the store set none for the year, these are the seed's."""
    updated_by: str | None
    updated_at: datetime | None


@router.put("/{year}", response_model=WorkshopTargets, responses={422: {}})
async def put_workshop_targets(year: Year, body: WorkshopTargetsIn, kit: KitDep, principal: Managers) -> dict[str, Any]:
    """KPI-2..3: the year's first and stretch output targets (routine and accident), CSI and survey."""
    return await service.put(kit, year, body.model_dump(), by=principal.username)


@router.get("/{year}", response_model=WorkshopTargets)
async def get_workshop_targets(year: Year, kit: KitDep, _: Managers) -> dict[str, Any]:
    return await service.get(kit, year)
