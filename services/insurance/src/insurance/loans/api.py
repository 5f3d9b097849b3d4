from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query
from fours_contracts import AnnualRate, Mobile, NonNegativeMoney, PositiveMoney
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from insurance.loans import rules, service

router = APIRouter(prefix="/api/v1", tags=["car loans"])
Finance = Allowed(Permission.LOANS_WORK)
RiskDesk = Allowed(Permission.LOANS_RISK)
Manager = Allowed(Permission.LOANS_MANAGE)
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Lender = Annotated[str, Field(min_length=1, max_length=64, examples=["ICBC"])]
LenderPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", examples=["ICBC", "default"])]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Term = Annotated[int, Field(ge=1, le=120)]


class LoanGuarantor(BaseModel):
    """The counter-guarantor (反担保人) a lender or the risk desk asks for."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    mobile: Mobile
    relation: Annotated[str, Field(min_length=1, max_length=50, examples=["配偶"])]


class LoanApplicationIn(BaseModel):
    order_id: Annotated[str, Field(min_length=1, max_length=64)]
    lender: Lender
    amount: PositiveMoney
    down_payment: NonNegativeMoney
    term_months: Term
    annual_rate: AnnualRate
    """0.048 for 4.8 % a year."""
    handling_fee: NonNegativeMoney
    """What the store charges for arranging the loan (金融服务费): PAY-5's basis."""
    guarantor: LoanGuarantor | None = None


class LoanTermsIn(BaseModel):
    amount: PositiveMoney | None = None
    down_payment: NonNegativeMoney | None = None
    term_months: Term | None = None
    annual_rate: AnnualRate | None = None
    handling_fee: NonNegativeMoney | None = None
    guarantor: LoanGuarantor | None = None


class LoanDocumentIn(BaseModel):
    received: bool
    note: Annotated[str | None, Field(max_length=500)] = None


class LoanHomeVisit(BaseModel):
    visited_on: date
    visited_by: Annotated[str, Field(min_length=1, max_length=64)]
    findings: Text


class LoanRiskReviewIn(BaseModel):
    outcome: rules.Outcome
    """``pass``: to the lender; ``refer``: the finance manager decides; ``reject``: not sent."""
    notes: Text
    credit_check: Annotated[str | None, Field(min_length=1, max_length=500)] = None
    """The credit bureau's result (资信调查)."""
    home_visit: LoanHomeVisit | None = None
    counter_guarantees: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=10)] = []
    """反担保: a guarantor, a deposit, a second car pledged…"""
    watch: bool | None = None
    """After-loan watch (贷后跟踪): reminders before each instalment; left out, ``refer`` watches."""


class LoanTransitionIn(BaseModel):
    to: Literal[
        "documents_complete",
        "submitted",
        "approved",
        "declined",
        "withdrawn",
        "disbursed",
        "mortgage_registered",
        "closed",
    ]
    approved_amount: PositiveMoney | None = None
    """``approved``: what the lender approved (at most what was applied for)."""
    annual_rate: AnnualRate | None = None
    """``approved``: the lender's rate."""
    term_months: Term | None = None
    """``approved``: the lender's term."""
    handling_fee: NonNegativeMoney | None = None
    """``approved``: the fee as finally agreed; left out, the one applied with."""
    reason: Annotated[str | None, Field(min_length=1, max_length=500)] = None
    """``declined``: a code of the store's decline reasons; ``withdrawn``: why."""
    contract_no: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    """``disbursed``: the lender's loan contract, which its repayment statements name."""
    disbursed_amount: PositiveMoney | None = None
    disbursed_on: date | None = None
    first_due_on: date | None = None
    """``disbursed``: left out, a month after the payout."""
    mortgage_registered_on: date | None = None
    closed_on: date | None = None


class LoanSpecialistIn(BaseModel):
    employee_no: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]


class LoanDocument(BaseModel):
    code: str
    label: str
    required: bool
    received: bool
    note: str | None
    updated_by: str | None
    updated_at: datetime | None


class LoanRiskReview(BaseModel):
    outcome: str
    notes: str
    credit_check: str | None
    home_visit: dict[str, Any] | None
    counter_guarantees: list[str]
    watch: bool
    reviewed_by: str
    reviewed_at: datetime


class LoanStep(BaseModel):
    from_state: str | None
    to_state: str
    facts: dict[str, Any]
    by: str
    at: datetime


class LoanApplication(BaseModel):
    id: str
    order_id: str
    customer_id: str
    customer_name: str | None
    customer_mobile: str | None
    consultant_no: str
    vin: str | None
    model: str
    lender: str
    amount: Decimal
    down_payment: Decimal
    term_months: int
    annual_rate: Decimal | None
    handling_fee: Decimal
    guarantor: dict[str, Any] | None
    state: rules.State
    specialist_no: str | None
    risk_outcome: str | None
    watch: bool
    submitted_at: datetime | None
    approved_amount: Decimal | None
    approved_rate: Decimal | None
    approved_term: int | None
    decided_at: datetime | None
    decline_reason: str | None
    withdraw_reason: str | None
    contract_no: str | None
    disbursed_amount: Decimal | None
    disbursed_on: date | None
    first_due_on: date | None
    mortgage_registered_on: date | None
    closed_on: date | None
    version: int
    created_at: datetime
    documents: list[LoanDocument]
    missing_documents: list[str]
    risk_reviews: list[LoanRiskReview]
    steps: list[LoanStep]
    allowed_transitions: list[str]


class LoanChecklistItem(BaseModel):
    code: Code
    label: Annotated[str, Field(min_length=1, max_length=200)]
    required: bool = True


class LoanChecklistIn(BaseModel):
    documents: Annotated[list[LoanChecklistItem], Field(min_length=1, max_length=40)]


class LoanChecklist(BaseModel):
    lender: str
    documents: list[LoanChecklistItem]


class LoanDeclineReasonIn(BaseModel):
    label: Annotated[str, Field(min_length=1, max_length=200)]
    active: bool = True


class LoanDeclineReason(BaseModel):
    code: str
    label: str
    active: bool


@router.post("/loan-applications", status_code=201, response_model=LoanApplication, responses={409: {}, 422: {}})
async def open_loan_application(
    body: LoanApplicationIn,
    kit: KitDep,
    principal: Finance,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    """FIN-1: an application for a placed order (an order quoted with a loan has one already, opened
    from ``order.placed``: 409 ``application-exists`` names it)."""
    return await service.open_application(kit, body.model_dump(), by=principal, idempotency_key=idempotency_key)


@router.get("/loan-applications", response_model=Page[LoanApplication], responses={422: {}})
async def list_loan_applications(
    kit: KitDep,
    principal: Finance,
    state: rules.State | None = None,
    lender: Annotated[str | None, Query(max_length=64)] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    order_id: Annotated[str | None, Query(max_length=64)] = None,
    specialist_no: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Newest first: a finance specialist's own applications; every one for the finance manager and
    the risk desk."""
    items, next_cursor = await service.search(
        kit,
        by=principal,
        state=state,
        lender=lender,
        customer_id=customer_id,
        order_id=order_id,
        specialist_no=specialist_no,
        limit=limit,
        cursor=cursor,
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/loan-applications/{application_id}", response_model=LoanApplication, responses={403: {}, 404: {}})
async def get_loan_application(application_id: str, kit: KitDep, principal: Finance) -> dict[str, Any]:
    return await service.get(kit, application_id, by=principal)


@router.patch(
    "/loan-applications/{application_id}",
    response_model=LoanApplication,
    responses={403: {}, 404: {}, 409: {}, 412: {}},
)
async def correct_loan_terms(
    application_id: str,
    body: LoanTermsIn,
    kit: KitDep,
    principal: Finance,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """The applied terms, corrected until the application goes to the lender."""
    facts = body.model_dump(exclude_unset=True)
    return await service.edit_terms(kit, application_id, facts, by=principal, if_match=if_match)


@router.put(
    "/loan-applications/{application_id}/documents/{code}",
    response_model=LoanApplication,
    responses={403: {}, 404: {}, 409: {}},
)
async def tick_loan_document(
    application_id: str,
    code: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$")],
    body: LoanDocumentIn,
    kit: KitDep,
    principal: Finance,
) -> dict[str, Any]:
    """FIN-1: a document of the lender's checklist received (or not, after all)."""
    return await service.put_document(kit, application_id, code, body.model_dump(), by=principal)


@router.post(
    "/loan-applications/{application_id}/risk-review",
    response_model=LoanApplication,
    responses={404: {}, 409: {}},
)
async def review_loan_application(
    application_id: str, body: LoanRiskReviewIn, kit: KitDep, principal: RiskDesk
) -> dict[str, Any]:
    """FIN-4: the risk desk's review; the last one decides whether the application may go to the lender."""
    return await service.review(kit, application_id, body.model_dump(), by=principal)


@router.post(
    "/loan-applications/{application_id}/transitions",
    response_model=LoanApplication,
    responses={403: {}, 404: {}, 409: {}, 412: {}, 422: {}},
)
async def move_loan_application(
    application_id: str,
    body: LoanTransitionIn,
    kit: KitDep,
    principal: Finance,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """FIN-1: draft → documents_complete (every required document in) → submitted (after the risk
    desk's pass, or the finance manager's decision on a referral) → approved (``approved_amount``,
    ``annual_rate``, ``term_months``) | declined (``reason`` from the store's list) | withdrawn
    (``reason``); approved → disbursed (``contract_no``, ``disbursed_amount``) → mortgage_registered →
    closed. Another move is 409 ``invalid-transition`` with the ``allowed`` ones."""
    facts = body.model_dump(exclude={"to"})
    return await service.move(kit, application_id, body.to, facts, by=principal, if_match=if_match)


@router.put(
    "/loan-applications/{application_id}/specialist",
    response_model=LoanApplication,
    responses={404: {}, 422: {}},
)
async def assign_loan_application(
    application_id: str, body: LoanSpecialistIn, kit: KitDep, principal: Manager
) -> dict[str, Any]:
    """The finance manager hands an application to another finance specialist."""
    return await service.assign(kit, application_id, body.employee_no, by=principal)


@router.get("/loan-documents", response_model=list[LoanChecklist])
async def loan_document_lists(kit: KitDep, _: Finance) -> list[dict[str, Any]]:
    """Each lender's document checklist; ``default`` is used for a lender without its own."""
    return [{"lender": lender, "documents": docs} for lender, docs in (await service.document_lists(kit)).items()]


@router.put("/loan-documents/{lender}", response_model=LoanChecklist, responses={422: {}})
async def put_loan_document_list(lender: LenderPath, body: LoanChecklistIn, kit: KitDep, _: Manager) -> dict[str, Any]:
    """FIN-1: the store's checklist for a lender (applications already open keep the one they opened with)."""
    documents = await service.put_document_list(kit, lender, [d.model_dump() for d in body.documents])
    return {"lender": lender, "documents": documents}


@router.get("/loan-decline-reasons", response_model=list[LoanDeclineReason])
async def list_decline_reasons(kit: KitDep, _: Finance) -> list[dict[str, Any]]:
    return await service.decline_reasons(kit)


@router.put("/loan-decline-reasons/{code}", response_model=LoanDeclineReason, responses={422: {}})
async def put_decline_reason(
    code: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$")], body: LoanDeclineReasonIn, kit: KitDep, _: Manager
) -> dict[str, Any]:
    """The store's list of reasons a lender declines (a retired one stays on old applications)."""
    return await service.put_decline_reason(kit, code, body.label, body.active)
