from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from fours_contracts import Vin
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from aftersales.home_visits import service

router = APIRouter(prefix="/api/v1/home-visits", tags=["home visits"])
Staff = Allowed(Permission.HOME_VISITS_READ)
Manager = Allowed(Permission.HOME_VISITS_DRAW)
Month = Annotated[str, Path(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", examples=["2026-12"])]


class DrawIn(BaseModel):
    share: Annotated[float, Field(gt=0, le=1, description="share of active customers to visit, e.g. 0.05")]


class VisitIn(BaseModel):
    notes: Annotated[str, Field(max_length=4000)] = ""


class HomeVisit(BaseModel):
    month: str
    vin: str
    owner_name: str
    owner_mobile: str
    status: Literal["planned", "visited"]
    notes: str | None
    visited_at: datetime | None


class HomeVisits(BaseModel):
    items: list[HomeVisit]
    next_cursor: str | None = None


@router.post("/{month}", status_code=201, response_model=HomeVisits, responses={409: {}})
async def draw(month: Month, body: DrawIn, kit: KitDep, principal: Manager) -> dict[str, Any]:
    return {"items": await service.draw(kit, month, body.share, by=principal.username)}


@router.get("/{month}", response_model=HomeVisits)
async def listing(month: Month, kit: KitDep, _: Staff) -> dict[str, Any]:
    return {"items": await service.listing(kit, month)}


@router.post("/{month}/{vin}/visited", response_model=HomeVisit, responses={404: {}})
async def visited(month: Month, vin: Vin, body: VisitIn, kit: KitDep, _: Staff) -> dict[str, Any]:
    return await service.visited(kit, month, vin, body.notes)
