from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Integer
from pydantic import BaseModel, Field, StrictBool
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from marketing.campaigns import rules, service
from marketing.spends import Amount, SpendIn

router = APIRouter(prefix="/api/v1/campaigns", tags=["campaigns"])
Readers = Allowed(Permission.MARKETING_READ)
Writers = Allowed(Permission.MARKETING_WRITE)
Text = Annotated[str, Field(max_length=4000)]


class CampaignPlan(BaseModel):
    """The ten parts of a campaign plan (MKT-4)."""

    background: Text = ""
    objective: list[Literal["orders", "traffic", "reputation", "retention", "brand"]] = []
    theme: Text = ""
    time: Text = ""
    content: Text = ""
    owners: dict[str, str] = {}
    targets: dict[str, Integer] = {}
    advertising: Text = ""
    promotion_policy: Text = ""
    budget_breakdown: dict[str, Decimal] = {}


class CampaignIn(BaseModel):
    code: Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,31}$", examples=["SPRING-2027"])]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    form: rules.Form
    month: Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
    budget: Amount
    plan: CampaignPlan = CampaignPlan()


class Spend(BaseModel):
    id: str
    kind: str
    amount: Decimal
    description: str
    overrun_approved_by: str | None
    created_at: datetime


class Campaign(CampaignIn):
    id: str
    spent: Decimal
    remaining: Decimal
    spends: list[Spend]
    version: int
    reviewed_at: datetime | None = None


class ReviewAnswers(BaseModel):
    """MKT-5: each question answered yes or no."""

    owners_clear: StrictBool | None = None
    stage_targets_met: StrictBool | None = None
    handoffs_smooth: StrictBool | None = None
    spend_reasonable: StrictBool | None = None
    effect_evaluated: StrictBool | None = None


class ReviewIn(BaseModel):
    answers: ReviewAnswers
    analysis: Annotated[str, Field(max_length=8000)] = ""
    summary: Annotated[str, Field(max_length=8000)] = ""


class TargetResult(BaseModel):
    target: int
    actual: int | None
    met: bool | None


class Review(BaseModel):
    campaign_id: str
    code: str
    answers: ReviewAnswers
    analysis: str
    summary: str
    targets: dict[str, TargetResult]
    actuals: dict[str, int]
    budget: Decimal
    spent: Decimal
    cost_per_lead: Decimal | None
    missing: list[str]
    """What the review still lacks; empty when it is complete."""
    reviewed_by: str | None
    reviewed_at: datetime | None


@router.post("", status_code=201, response_model=Campaign, responses={409: {}, 422: {}})
async def create_campaign(body: CampaignIn, kit: KitDep, principal: Writers) -> dict[str, Any]:
    return await service.create(kit, body.model_dump(mode="json") | {"budget": body.budget}, by=principal)


@router.get("", response_model=list[Campaign])
async def list_campaigns(
    kit: KitDep, _: Readers, month: Annotated[str | None, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")] = None
) -> list[dict[str, Any]]:
    return await service.listing(kit, month)


@router.get("/{campaign_id}/review", response_model=Review, responses={404: {}})
async def get_review(campaign_id: str, kit: KitDep, principal: Readers) -> dict[str, Any]:
    return await service.review(kit, campaign_id, None, by=principal)


@router.put("/{campaign_id}/review", response_model=Review, responses={403: {}, 404: {}})
async def put_review(campaign_id: str, body: ReviewIn, kit: KitDep, principal: Writers) -> dict[str, Any]:
    """The after-action review (MKT-5) with the plan's targets against the campaign's leads, orders and
    deliveries; ``missing`` lists what is still to write."""
    return await service.review(kit, campaign_id, body.model_dump(mode="json"), by=principal)


@router.get("/{campaign_id}", response_model=Campaign, responses={404: {}})
async def get_campaign(campaign_id: str, kit: KitDep, _: Readers) -> dict[str, Any]:
    return await service.get(kit, campaign_id)


@router.post("/{campaign_id}/spends", status_code=201, response_model=Campaign, responses={403: {}, 404: {}, 409: {}})
async def add_spend(campaign_id: str, body: SpendIn, kit: KitDep, principal: Writers) -> dict[str, Any]:
    return await service.spend(kit, campaign_id, body.model_dump(), by=principal)
