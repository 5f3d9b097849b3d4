from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Coverage, Mobile, VinFilter
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field, model_validator
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from insurance.renewals import rules, service

router = APIRouter(prefix="/api/v1", tags=["renewals"])
Workers = Allowed(Permission.RENEWALS_WORK)
Manager = Allowed(Permission.INSURANCE_MANAGE)
Pusher = Allowed(Permission.INSURANCE_PUSH)
Money = Annotated[Decimal, Decimals(gt=0)]
Status = rules.State


class CoverageQuote(BaseModel):
    code: Coverage
    premium: Annotated[Decimal, Decimals(ge=0)]


class QuoteIn(BaseModel):
    premium: Money
    insurer: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    coverages: Annotated[list[CoverageQuote], Field(max_length=6)] = []


class PushedQuoteIn(QuoteIn):
    insurer: Annotated[str, Field(min_length=1, max_length=64)]
    policy_no: Annotated[str, Field(min_length=1, max_length=64, description="the expiring policy")]


class CallIn(BaseModel):
    outcome: Literal["reached", "no_answer", "refused"]
    notes: Annotated[str, Field(max_length=2000)] = ""


class OutcomeIn(BaseModel):
    result: Literal["renewed", "lost"]
    insurer: Annotated[str | None, Field(max_length=64)] = None
    policy_no: Annotated[str | None, Field(max_length=64, description="the new policy, when renewed")] = None
    reason: Literal[rules.LOST_REASONS] | None = None  # type: ignore[valid-type]
    counter_measure: Annotated[str | None, Field(max_length=1000)] = None

    @model_validator(mode="after")
    def _complete(self) -> "OutcomeIn":
        if self.result == "renewed" and not (self.insurer and self.policy_no):
            raise ValueError("a renewal names the new policy: insurer and policy_no")
        if self.result == "lost" and not self.reason:
            raise ValueError("a lost renewal needs a reason")
        return self


class AssigneeIn(BaseModel):
    employee_no: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]


class Message(BaseModel):
    id: str
    purpose: str
    body: str
    status: str
    queued_at: datetime
    sent_at: datetime | None


class Renewal(BaseModel):
    id: str
    policy_id: str
    vin: str
    insurer: str
    holder_name: str
    holder_mobile: str
    expires_on: date
    days_to_expiry: int
    assignee_no: str | None
    status: Status
    quote_premium: Decimal | None
    quote_insurer: str | None
    quote_source: str | None
    quoted_at: datetime | None
    call_due_at: datetime | None
    called_at: datetime | None
    call_overdue: bool
    calls: int
    last_call_outcome: str | None
    new_policy_id: str | None
    premium: Decimal | None
    commercial: bool | None
    lost_reason: str | None
    counter_measure: str | None
    closed_at: datetime | None
    messages: list[Message] = []


@router.get("/renewals", response_model=Page[Renewal])
async def list_renewals(
    kit: KitDep,
    principal: Workers,
    status: Status | None = None,
    assignee: Annotated[str | None, Query(pattern=r"^(me|[A-Za-z0-9_-]{1,32})$")] = None,
    overdue: Annotated[bool, Query(description="quoted, not phoned within 3 days")] = False,
    expiring_before: date | None = None,
    vin: Annotated[VinFilter | None, Query()] = None,
    mobile: Annotated[Mobile | None, Query(description="the policy holder's")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The renewal list by expiry: a specialist or advisor sees their own, the insurance manager all."""
    return await service.listing(
        kit,
        by=principal,
        status=status,
        assignee=assignee,
        overdue=overdue,
        expiring_before=expiring_before,
        limit=limit,
        cursor=cursor,
        vin=vin,
        mobile=mobile,
    )


@router.get("/renewals/{renewal_id}", response_model=Renewal, responses={403: {}, 404: {}})
async def get_renewal(renewal_id: str, kit: KitDep, principal: Workers) -> dict[str, Any]:
    return await service.get(kit, renewal_id, by=principal)


@router.put("/renewals/{renewal_id}/assignee", response_model=Renewal, responses={403: {}, 404: {}, 409: {}, 422: {}})
async def assign_renewal(renewal_id: str, body: AssigneeIn, kit: KitDep, principal: Manager) -> dict[str, Any]:
    return await service.assign(kit, renewal_id, body.employee_no, by=principal)


@router.post("/renewals/{renewal_id}/quote", response_model=Renewal, responses={403: {}, 404: {}, 409: {}})
async def quote(renewal_id: str, body: QuoteIn, kit: KitDep, principal: Workers) -> dict[str, Any]:
    """The premium quote goes to the customer by SMS; the call is due within 3 days."""
    return await service.quote(kit, renewal_id, body.model_dump(), by=principal, source="manual")


@router.post("/renewals/{renewal_id}/calls", response_model=Renewal, responses={403: {}, 404: {}, 409: {}})
async def call(renewal_id: str, body: CallIn, kit: KitDep, principal: Workers) -> dict[str, Any]:
    return await service.call(kit, renewal_id, body.model_dump(), by=principal)


@router.post("/renewals/{renewal_id}/outcome", response_model=Renewal, responses={403: {}, 404: {}, 409: {}, 422: {}})
async def outcome(renewal_id: str, body: OutcomeIn, kit: KitDep, principal: Workers) -> dict[str, Any]:
    """Renewed (the new policy, pushed by the insurer or entered) or lost with reason and counter-measure."""
    return await service.outcome(kit, renewal_id, body.model_dump(), by=principal)


@router.post("/integrations/renewal-quotes", response_model=Renewal, responses={401: {}, 403: {}, 404: {}, 409: {}})
async def pushed_quote(body: PushedQuoteIn, kit: KitDep, partner: Pusher) -> dict[str, Any]:
    """An insurer pushes its renewal quote for a policy; it is sent to the customer like a manual one."""
    return await service.quote(
        kit,
        None,
        body.model_dump(),
        by=None,
        source=f"partner:{partner.username}",
        policy=(body.insurer, body.policy_no),
    )


class LostReason(BaseModel):
    reason: str | None
    count: int
    counter_measures: list[str]


class PerAssignee(BaseModel):
    assignee_no: str | None
    open: int
    quoted: int
    renewed: int
    lost: int


class Analysis(BaseModel):
    from_: date = Field(alias="from")
    to: date
    due: int
    open: int
    quoted: int
    renewed: int
    lost: int
    renewal_rate: float | None
    lost_reasons: list[LostReason]
    by_assignee: list[PerAssignee]


@router.get("/reports/renewals", response_model=Analysis, response_model_by_alias=True)
async def renewal_analysis(
    kit: KitDep, principal: Manager, from_: Annotated[date, Query(alias="from")], to: date
) -> dict[str, Any]:
    """Non-renewal analysis of the policies expiring in the period (INS-3)."""
    return await service.analysis(kit, from_, to)
