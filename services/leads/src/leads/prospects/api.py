from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fours_contracts import Day, Instant, Mobile, normalise_mobile
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field, StrictBool, ValidationError
from servicekit.concurrency import IfMatch
from servicekit.errors import Unprocessable, field_error
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from leads.prospects import adf, rules, service

router = APIRouter(prefix="/api/v1", tags=["leads"])
Sales = Allowed(Permission.LEADS_WRITE)
Manager = Allowed(Permission.LEADS_MANAGE)
State = rules.State
Source = rules.Source
StaffNo = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
ADF_TYPES = ("application/xml", "text/xml", "application/x-adf+xml")


class LeadCustomerIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    mobile: Mobile


class LeadIn(BaseModel):
    customer: LeadCustomerIn
    source: Source
    channel: Annotated[str | None, Field(max_length=64)] = None
    campaign_code: Annotated[str | None, Field(max_length=32)] = None
    model: Annotated[str | None, Field(max_length=100)] = None
    budget: Annotated[Decimal, Decimals(ge=0)] | None = None
    owner_no: StaffNo | None = None
    next_follow_up: Day | None = None

    def facts(self) -> dict[str, Any]:
        return {**self.model_dump(exclude={"customer"}), "name": self.customer.name, "mobile": self.customer.mobile}


class Contact(BaseModel):
    id: str
    kind: str
    outcome: str
    notes: str
    next_follow_up: date | None
    by: str
    at: datetime


class Lead(BaseModel):
    lead_id: str
    customer_id: str
    customer_name: str | None = None
    customer_mobile: str | None = None
    source: str
    channel: str | None
    campaign_code: str | None
    model: str | None
    budget: Decimal | None
    owner_no: str | None
    state: str
    lost_reason: str | None
    lost_note: str | None = None
    next_follow_up: date | None
    created_at: datetime
    version: int
    contacts: list[Contact] = []
    allowed_transitions: list[str] = []
    known_customer: bool | None = None


class Created(BaseModel):
    lead_id: str
    customer_id: str
    known_customer: bool
    leads: list[dict[str, str]] = []


class TransitionIn(BaseModel):
    to: State
    lost_reason: Annotated[str | None, Field(max_length=64, description="a code from /api/v1/lost-reasons")] = None
    lost_note: Annotated[str | None, Field(max_length=2000)] = None


class LostReason(BaseModel):
    code: str
    label: str
    active: bool


class LostReasonIn(BaseModel):
    label: Annotated[str, Field(min_length=1, max_length=100)]
    active: StrictBool = True


class ContactIn(BaseModel):
    kind: Literal["call", "visit", "wechat", "sms"]
    outcome: Literal["reached", "no_answer", "appointment", "not_interested", "other"]
    notes: Annotated[str, Field(max_length=4000)] = ""
    next_follow_up: Day | None = None


class VisitIn(BaseModel):
    customer_id: str
    at: Instant
    received_by: StaffNo
    booked_by: StaffNo | None = None
    asked_for: StaffNo | None = None
    chosen_by_customer: StaffNo | None = None


class VisitOut(BaseModel):
    visit_id: str
    customer_id: str
    owner_before: str | None
    owner_after: str | None
    reason: str
    at: datetime


@router.post("/leads", status_code=201, response_model=Lead, responses={403: {}, 422: {}})
async def create_lead(body: LeadIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.create_one(kit, body.facts(), by=principal)


@router.get("/leads", response_model=Page[Lead], responses={422: {}})
async def list_leads(
    kit: KitDep,
    principal: Sales,
    state: State | None = None,
    owner_no: Annotated[str | None, Query(max_length=32)] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    source: Source | None = None,
    campaign_code: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Newest first, within the caller's data scope."""
    filters = {
        "state": state,
        "owner_no": owner_no,
        "customer_id": customer_id,
        "source": source,
        "campaign_code": campaign_code,
    }
    return await service.search(kit, by=principal, filters=filters, limit=limit, cursor=cursor)


@router.get("/lost-reasons", response_model=list[LostReason])
async def lost_reason_list(kit: KitDep, principal: Sales, include_inactive: bool = False) -> list[dict[str, Any]]:
    """The store's managed list of reasons a lead is lost (战败原因)."""
    return await service.list_lost_reasons(kit, include_inactive=include_inactive)


@router.put("/lost-reasons/{code}", response_model=LostReason, responses={403: {}, 422: {}})
async def lost_reason_put(
    code: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,31}$")], body: LostReasonIn, kit: KitDep, principal: Manager
) -> dict[str, Any]:
    """Add or rename a reason, or retire it (``active: false``): old leads keep their reason."""
    return await service.put_lost_reason(kit, code, body.label, body.active)


@router.get("/leads/{lead_id}", response_model=Lead, responses={403: {}, 404: {}})
async def get_lead(lead_id: str, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.get(kit, lead_id, by=principal)


@router.post("/leads/{lead_id}/transitions", response_model=Lead, responses={403: {}, 404: {}, 409: {}, 412: {}})
async def move_lead(
    lead_id: str, body: TransitionIn, kit: KitDep, principal: Sales, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.move(
        kit, lead_id, body.to, body.lost_reason, by=principal, if_match=if_match, lost_note=body.lost_note
    )


@router.post("/leads/{lead_id}/contacts", status_code=201, response_model=Lead, responses={403: {}, 404: {}})
async def add_contact(lead_id: str, body: ContactIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.add_contact(kit, lead_id, body.model_dump(), by=principal)


@router.post("/visits", status_code=201, response_model=VisitOut, responses={404: {}})
async def register_visit(body: VisitIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.register_visit(kit, body.model_dump(), by=principal)


@router.post(
    "/integrations/leads",
    status_code=201,
    response_model=Created,
    responses={401: {}, 403: {}, 422: {}},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/LeadIn"}},
                "application/xml": {"schema": {"type": "string"}},
            }
        }
    },
)
async def intake(request: Request, kit: KitDep, partner: Sales) -> dict[str, Any]:
    """Websites and auto portals push leads as JSON or ADF XML; all prospects of a call or none."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if kind in ADF_TYPES:
        try:
            prospects = adf.parse(body)
        except adf.AdfError as exc:
            raise Unprocessable(str(exc), errors=[field_error(exc.field, str(exc))], code="invalid-adf") from exc
        items = []
        for n, p in enumerate(prospects):
            try:
                mobile = normalise_mobile(p.phone)
            except ValueError as exc:
                raise Unprocessable(
                    str(exc), errors=[field_error(f"prospect.{n}.customer.contact.phone", str(exc))]
                ) from exc
            items.append(
                {
                    "name": p.name,
                    "mobile": mobile,
                    "model": p.model,
                    "source": "auto_portal",
                    "channel": p.provider or partner.username,
                }
            )
    else:
        try:
            lead = LeadIn.model_validate_json(body)
        except ValidationError as exc:
            errors = [field_error(".".join(str(x) for x in e["loc"]) or "body", e["msg"]) for e in exc.errors()]
            raise Unprocessable("invalid lead", errors=errors) from exc
        items = [{**lead.facts(), "channel": lead.channel or partner.username}]
    async with kit.db.transaction() as session:
        created = [await service.create(session, kit, item, by=f"partner:{partner.username}") for item in items]
    first = created[0]
    return {
        "lead_id": first["lead_id"],
        "customer_id": first["customer_id"],
        "known_customer": first["known_customer"],
        "leads": [{"lead_id": c["lead_id"], "customer_id": c["customer_id"]} for c in created],
    }
