from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fours_contracts import Coverage, Mobile, Vin
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field, TypeAdapter, model_validator
from servicekit.errors import within_batch_limit
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from insurance.intake import service
from insurance.policies import rules as policy_rules
from insurance.policies.rules import COVERAGES, dates_problem, premium_total

router = APIRouter(prefix="/api/v1", tags=["integrations"])
Pusher = Allowed(Permission.INSURANCE_PUSH)
Readers = Allowed(Permission.POLICIES_READ)
Money = Annotated[Decimal, Decimals(ge=0)]


class Holder(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    mobile: Mobile


class CoverageIn(BaseModel):
    code: Coverage
    premium: Money


class PolicyItem(BaseModel):
    insurer: Annotated[str, Field(min_length=1, max_length=64)]
    policy_no: Annotated[str, Field(min_length=1, max_length=64)]
    vin: Vin
    plate: Annotated[str | None, Field(max_length=16, examples=["苏E·12345"])] = None
    holder: Holder
    coverages: Annotated[list[CoverageIn], Field(min_length=1, max_length=len(COVERAGES))]
    premium: Money
    start_date: date
    end_date: date
    kind: Literal["new_car", "renewal"] = "renewal"
    commission_rate: Annotated[Decimal, Decimals(ge=0, le=1, digits=6, places=4)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "PolicyItem":
        if problem := dates_problem(self.start_date, self.end_date):
            raise ValueError(problem)
        if len({c.code for c in self.coverages}) != len(self.coverages):
            raise ValueError("a coverage appears twice")
        if premium_total([c.model_dump() for c in self.coverages]) != self.premium:
            raise ValueError("premium is not the sum of the coverages' premiums")
        return self

    def facts(self) -> dict[str, Any]:
        return {
            "insurer": self.insurer,
            "policy_no": self.policy_no,
            "vin": self.vin,
            "plate": policy_rules.plate_key(self.plate) if self.plate else None,
            "holder_name": self.holder.name,
            "holder_mobile": self.holder.mobile,
            "kind": self.kind,
            "coverages": [c.model_dump(mode="json") for c in self.coverages],
            "premium": self.premium,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "commission_rate": self.commission_rate,
        }


ITEM = TypeAdapter(PolicyItem)


class Batch(BaseModel):
    items: list[Any]


class ItemResult(BaseModel):
    index: int
    status: Literal["created", "updated", "unchanged", "rejected"]
    policy_id: str | None = None
    errors: list[dict[str, str]]


class BatchResult(BaseModel):
    results: list[ItemResult]


class IntakeEntry(BaseModel):
    id: int
    partner: str
    received_at: datetime
    items: int
    counts: dict[str, int]
    request_id: str | None


class IntakeLog(BaseModel):
    items: list[IntakeEntry]
    next_cursor: str | None = None


@router.post("/integrations/policies:batch", response_model=BatchResult, responses={401: {}, 403: {}, 413: {}, 422: {}})
async def push_policies(body: Annotated[Batch, Body()], kit: KitDep, partner: Pusher) -> dict[str, Any]:
    within_batch_limit(body.items, service.MAX_ITEMS, "policies")
    return {"results": await service.push(kit, body.items, ITEM, partner=partner.username)}


@router.get("/integrations/intake-log", response_model=IntakeLog)
async def intake_log(
    kit: KitDep, _: Readers, partner: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    return {"items": await service.log(kit, partner, limit)}
