from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fours_contracts import Day
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field, model_validator
from servicekit.errors import Unprocessable, field_error
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from marketing.advertising import rules, service

router = APIRouter(prefix="/api/v1", tags=["advertising"])
Readers = Allowed(Permission.MARKETING_READ)
Writers = Allowed(Permission.MARKETING_WRITE)
Name = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str | None, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,31}$")]


class AdIn(BaseModel):
    title: Name
    medium: rules.Medium
    purpose: rules.Purpose
    nature: rules.Nature
    outlet: Name
    start_date: Day
    end_date: Day
    cost: Annotated[Decimal, Decimals(ge=0)]
    campaign_code: Code = None

    @model_validator(mode="after")
    def _dates(self) -> "AdIn":
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class Ad(AdIn):
    id: str
    created_by: str
    created_at: datetime


class Ads(BaseModel):
    items: list[Ad]
    cost: Decimal
    cost_by: dict[str, dict[str, Decimal]]


class ArticleIn(BaseModel):
    portal: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,31}$")]
    title: Name
    url: Annotated[str | None, Field(max_length=500)] = None
    published_on: Day
    campaign_code: Code = None


class Article(ArticleIn):
    id: str
    created_by: str


class Gap(BaseModel):
    from_: date = Field(alias="from")
    to: date


class PortalCadence(BaseModel):
    portal: str
    articles: int
    ok: bool
    gaps: list[Gap]


class Cadence(BaseModel):
    from_: date = Field(alias="from")
    to: date
    every_days: int
    ok: bool
    portals: list[PortalCadence]


def _period(start: date, end: date) -> None:
    if end < start or (end - start).days > 366:
        raise Unprocessable("the period runs forwards and at most a year", errors=[field_error("to", "bad period")])


@router.post("/ads", status_code=201, response_model=Ad, responses={403: {}, 422: {}})
async def add_ad(body: AdIn, kit: KitDep, principal: Writers) -> dict[str, Any]:
    """An advertising record: medium, purpose, nature (hard ad or soft article), outlet, dates, cost."""
    return await service.add_ad(kit, body.model_dump(), by=principal)


@router.get("/ads", response_model=Ads, responses={422: {}})
async def list_ads(kit: KitDep, _: Readers, from_: Annotated[date, Query(alias="from")], to: date) -> dict[str, Any]:
    _period(from_, to)
    return await service.list_ads(kit, from_, to)


@router.post("/soft-articles", status_code=201, response_model=Article, responses={403: {}, 422: {}})
async def add_article(body: ArticleIn, kit: KitDep, principal: Writers) -> dict[str, Any]:
    return await service.add_article(kit, body.model_dump(), by=principal)


@router.get("/soft-articles/check", response_model=Cadence, response_model_by_alias=True, responses={422: {}})
async def check(
    kit: KitDep,
    _: Readers,
    from_: Annotated[date, Query(alias="from")],
    to: date,
    portal: Annotated[list[str] | None, Query(description="the store's portals unless given")] = None,
) -> dict[str, Any]:
    """MKT-7: at least one soft article per portal every two days; the stretches without are listed."""
    _period(from_, to)
    portals = portal or list(getattr(kit.settings, "portals", []))
    return await service.cadence(kit, portals, from_, to)
