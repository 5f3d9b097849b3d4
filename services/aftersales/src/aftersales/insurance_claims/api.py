from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fours_contracts import NonNegativeMoney
from pydantic import BaseModel, Field, model_validator
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.insurance_claims import rules, service

router = APIRouter(prefix="/api/v1", tags=["insurance claims"])
Desk = Allowed(Permission.REPAIR_ORDERS_WRITE)
Managers = Allowed(Permission.AFTERSALES_REPORTS)
MONTH = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"


class InsuranceClaimIn(BaseModel):
    repair_order_id: Annotated[str, Field(min_length=1, max_length=64)]
    insurer: Annotated[str, Field(min_length=1, max_length=64, examples=["PICC"])]
    claim_no: Annotated[str, Field(min_length=1, max_length=64, examples=["RDAA2026320500001234"])]
    referred: bool = False
    """保险推修: the insurer sent the car to the store."""


class InsuranceClaimTransitionIn(BaseModel):
    to: Literal["assessed", "paid"]
    amount: NonNegativeMoney
    """``assessed``: the assessment (定损金额); ``paid``: what the insurer paid."""
    on: date
    """The day of the assessment, or of the payment."""
    assessor: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    excess: NonNegativeMoney | None = None
    """``assessed``: what the customer pays (免赔额)."""

    @model_validator(mode="after")
    def _assessment(self) -> "InsuranceClaimTransitionIn":
        if self.to == "assessed" and (self.assessor is None or self.excess is None):
            raise ValueError("an assessment names its assessor and the customer's excess (0 for none)")
        return self


class InsuranceClaim(BaseModel):
    id: str
    repair_order_id: str
    vin: str
    advisor_no: str
    insurer: str
    claim_no: str
    referred: bool
    state: str
    assessed_amount: Decimal | None
    assessed_on: date | None
    assessor: str | None
    excess: Decimal | None
    insurer_amount: Decimal | None
    """What the insurer owes: the assessment less the excess."""
    paid_amount: Decimal | None
    paid_on: date | None
    days_to_pay: int | None
    """出单理赔速度: days from the assessment to the payment."""
    version: int
    created_at: datetime
    allowed_transitions: list[str]


class InsurerFigures(BaseModel):
    insurer: str
    claims: int
    referred: int
    paid: int
    average_days_to_pay: Decimal | None
    assessed_amount: Decimal
    paid_amount: Decimal


class InsuranceClaimsReport(BaseModel):
    month: str
    insurers: list[InsurerFigures]


@router.post("/insurance-claims", status_code=201, response_model=InsuranceClaim, responses={403: {}, 409: {}, 422: {}})
async def open_insurance_claim(body: InsuranceClaimIn, kit: KitDep, principal: Desk) -> dict[str, Any]:
    """CLM-5: the claim of an accident repair order (one per order, one per insurer's number)."""
    return await service.open_claim(kit, body.model_dump(), by=principal)


@router.get("/insurance-claims", response_model=Page[InsuranceClaim], responses={422: {}})
async def list_insurance_claims(
    kit: KitDep,
    principal: Desk,
    state: rules.State | None = None,
    insurer: Annotated[str | None, Query(max_length=64)] = None,
    repair_order_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Newest first; a service advisor sees the claims of the orders they received."""
    items, next_cursor = await service.search(
        kit, state=state, insurer=insurer, repair_order_id=repair_order_id, by=principal, limit=limit, cursor=cursor
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/insurance-claims/{claim_id}", response_model=InsuranceClaim, responses={403: {}, 404: {}})
async def get_insurance_claim(claim_id: str, kit: KitDep, principal: Desk) -> dict[str, Any]:
    return await service.get(kit, claim_id, by=principal)


@router.post(
    "/insurance-claims/{claim_id}/transitions",
    response_model=InsuranceClaim,
    responses={403: {}, 404: {}, 409: {}, 412: {}, 422: {}},
)
async def move_insurance_claim(
    claim_id: str,
    body: InsuranceClaimTransitionIn,
    kit: KitDep,
    principal: Desk,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """reported → assessed (again for a supplementary assessment) → paid; another move is 409."""
    facts = body.model_dump(exclude={"to"})
    return await service.move(kit, claim_id, body.to, facts, by=principal, if_match=if_match)


@router.get("/reports/insurance-claims", response_model=InsuranceClaimsReport, responses={422: {}})
async def insurance_claims_report(
    kit: KitDep, _: Managers, month: Annotated[str, Query(pattern=MONTH, examples=["2026-11"])]
) -> dict[str, Any]:
    """CLM-6: per insurer, the month's claims, those it referred (保险推修), what it assessed and paid,
    and its average days from assessment to payment (出单理赔速度)."""
    return {"month": month, "insurers": await service.report(kit, month)}
