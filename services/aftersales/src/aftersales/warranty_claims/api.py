from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Query
from fours_contracts import Instant, NonNegativeMoney, Vin, VinFilter
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field, TypeAdapter, model_validator
from servicekit.errors import within_batch_limit
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.warranty_claims import rules, service
from aftersales.warranty_claims.rules import WarrantyClaimFigures

router = APIRouter(prefix="/api/v1", tags=["warranty claims"])
Clerks = Allowed(Permission.WARRANTY_CLAIMS)
Manufacturer = Allowed(Permission.WARRANTY_DECIDE)
MONTH = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"


class WarrantyClaimLineIn(BaseModel):
    kind: rules.LineKind
    """``labour``: hours at the manufacturer's labour rate; ``part``: quantity at its price to the manufacturer."""
    part_no: Annotated[str | None, Field(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,39}$")] = None
    description: Annotated[str, Field(min_length=1, max_length=500)]
    quantity: Annotated[Decimal, Decimals(gt=0, le=10_000, digits=10)]
    unit_price: NonNegativeMoney


class WarrantyClaimIn(BaseModel):
    repair_order_id: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    vin: Vin | None = None
    """Without a repair order: a stock car damaged in transport or storage (with ``repaired_on``)."""
    repaired_on: date | None = None
    """Left out with a repair order: the day it was handed over (else opened)."""
    fault_code: Annotated[str, Field(min_length=1, max_length=32, examples=["P0301"])]
    description: Annotated[str, Field(min_length=1, max_length=2000)]
    lines: Annotated[list[WarrantyClaimLineIn], Field(min_length=1, max_length=100)]

    @model_validator(mode="after")
    def _one_car(self) -> "WarrantyClaimIn":
        if (self.repair_order_id is None) == (self.vin is None):
            raise ValueError("name the repair order or, for a stock car, its vin: one of the two")
        return self


class WarrantyClaimLine(BaseModel):
    id: str
    kind: str
    part_no: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class WarrantyClaimAnswer(BaseModel):
    submission: int
    outcome: str
    reason: str | None
    amount: Decimal | None
    decision_ref: str | None
    answered_at: datetime
    recorded_by: str


class WarrantyClaim(BaseModel):
    id: str
    repair_order_id: str | None
    vin: str
    fault_code: str
    description: str
    state: str
    repaired_on: date
    due_on: date
    """CLM-2: the last day to submit."""
    late: bool
    """Submitted after ``due_on``, or still unsubmitted after it."""
    submissions: int
    first_submitted_on: date | None
    claimed_amount: Decimal
    approved_amount: Decimal | None
    paid_amount: Decimal | None
    paid_on: date | None
    rejection_reason: str | None
    clerk_no: str
    version: int
    lines: list[WarrantyClaimLine]
    answers: list[WarrantyClaimAnswer]
    allowed_transitions: list[str]


class WarrantyClaimTransitionIn(BaseModel):
    to: Literal["submitted", "resubmitted", "accepted", "rejected", "paid", "cancelled"]
    reason: Annotated[str | None, Field(min_length=1, max_length=500)] = None
    """Why the manufacturer refused (with ``rejected``)."""
    amount: NonNegativeMoney | None = None
    """What it approved (``accepted``; left out, the amount claimed) or paid (``paid``, required)."""
    paid_on: date | None = None
    lines: Annotated[list[WarrantyClaimLineIn] | None, Field(min_length=1, max_length=100)] = None
    """The lines to submit with (a draft made from a failed PDI has none yet) or the corrected lines of
    a resubmission; left out, the lines stay."""


class WarrantyDecisionItem(BaseModel):
    claim_id: Annotated[str, Field(min_length=1, max_length=64)]
    decision_ref: Annotated[str, Field(min_length=1, max_length=64)]
    """The manufacturer's own id of this answer: sending it again changes nothing."""
    decision: Literal["accepted", "rejected", "paid"]
    answered_at: Instant
    reason: Annotated[str | None, Field(min_length=1, max_length=500)] = None
    amount: NonNegativeMoney | None = None
    paid_on: date | None = None


DECISION = TypeAdapter(WarrantyDecisionItem)


class WarrantyDecisionBatch(BaseModel):
    items: list[Any]


class WarrantyDecisionResult(BaseModel):
    index: int
    status: Literal["recorded", "unchanged", "rejected"]
    claim_id: str | None = None
    state: str | None = None
    errors: list[dict[str, str]]


class WarrantyDecisionResults(BaseModel):
    results: list[WarrantyDecisionResult]


class ClerkClaimFigures(WarrantyClaimFigures):
    clerk_no: str


class WarrantyClaimsReport(WarrantyClaimFigures):
    month: str
    by_clerk: list[ClerkClaimFigures]


@router.post("/warranty-claims", status_code=201, response_model=WarrantyClaim, responses={409: {}, 422: {}})
async def open_warranty_claim(
    body: WarrantyClaimIn,
    kit: KitDep,
    principal: Clerks,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    """CLM-1: a draft claim; one per repair order (409 ``claim-exists`` names it)."""
    return await service.open_claim(kit, body.model_dump(), by=principal, idempotency_key=idempotency_key)


@router.get("/warranty-claims", response_model=Page[WarrantyClaim], responses={422: {}})
async def list_warranty_claims(
    kit: KitDep,
    _: Clerks,
    state: rules.State | None = None,
    clerk_no: Annotated[str | None, Query(max_length=32)] = None,
    late: bool | None = None,
    vin: VinFilter | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The warranty desk's queue, newest first; a stock car whose PDI failed is waiting here as a
    draft without lines."""
    items, next_cursor = await service.search(
        kit, state=state, clerk_no=clerk_no, late=late, vin=vin, limit=limit, cursor=cursor
    )
    return {"items": items, "next_cursor": next_cursor}


class ClaimableOrderLine(BaseModel):
    kind: str
    part_no: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal


class OrderToClaim(BaseModel):
    id: str
    vin: str
    advisor_no: str
    state: str
    mileage_km: int
    concerns: str
    opened_at: datetime
    handed_over_at: datetime | None
    lines: list[ClaimableOrderLine]


class OrdersToClaim(BaseModel):
    items: list[OrderToClaim]


@router.get("/warranty-claims/to-claim", response_model=OrdersToClaim)
async def orders_to_claim(kit: KitDep, _: Clerks, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    """Warranty repair orders without a claim yet, newest first, with their lines."""
    return {"items": await service.to_claim(kit, limit)}


@router.get("/warranty-claims/{claim_id}", response_model=WarrantyClaim, responses={404: {}})
async def get_warranty_claim(claim_id: str, kit: KitDep, _: Clerks) -> dict[str, Any]:
    return await service.get(kit, claim_id)


@router.post(
    "/warranty-claims/{claim_id}/transitions",
    response_model=WarrantyClaim,
    responses={404: {}, 409: {}, 412: {}, 422: {}},
)
async def move_warranty_claim(
    claim_id: str,
    body: WarrantyClaimTransitionIn,
    kit: KitDep,
    principal: Clerks,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """draft → submitted → accepted | rejected → resubmitted → …; accepted → paid; a draft may be
    cancelled. Another move is 409 ``invalid-transition`` with the ``allowed`` ones."""
    facts = body.model_dump(exclude={"to"})
    return await service.move(kit, claim_id, body.to, facts, by=principal, if_match=if_match)


@router.post(
    "/integrations/warranty-decisions:batch",
    response_model=WarrantyDecisionResults,
    responses={401: {}, 403: {}, 413: {}, 422: {}},
)
async def answer_warranty_claims(
    body: Annotated[WarrantyDecisionBatch, Body()], kit: KitDep, partner: Manufacturer
) -> dict[str, Any]:
    """CLM-4: the manufacturer's answers (accepted, rejected with its reason, paid), each item on its
    own; an answer sent again (same ``decision_ref``) is ``unchanged``."""
    within_batch_limit(body.items, service.MAX_ANSWERS, "answers")
    return {"results": await service.answer_many(kit, body.items, DECISION, partner=partner.username)}


@router.get("/reports/warranty-claims", response_model=WarrantyClaimsReport, responses={422: {}})
async def warranty_claims_report(
    kit: KitDep, _: Clerks, month: Annotated[str, Query(pattern=MONTH, examples=["2026-11"])]
) -> dict[str, Any]:
    """CLM-3: the month's first-pass and rejection rates, for the store and per warranty clerk."""
    return await service.report(kit, month)
