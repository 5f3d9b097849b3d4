from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Mobile, Vin, VinFilter
from pydantic import BaseModel, Field, StrictBool
from servicekit.concurrency import IfMatch
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from aftersales.complaints import rules, service

router = APIRouter(prefix="/api/v1/complaints", tags=["complaints"])
Staff = Allowed(Permission.COMPLAINTS_WRITE)
StaffNo = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
Severity = rules.Severity
State = Literal["open", "assigned", "resolved", "closed"]


class ComplaintIn(BaseModel):
    vin: Vin | None = None
    customer_name: Annotated[str | None, Field(max_length=100)] = None
    customer_mobile: Mobile | None = None
    source: Literal["phone", "walk_in", "app", "online", "other"]
    severity: Severity
    description: Annotated[str, Field(min_length=1, max_length=4000)]
    repair_order_id: str | None = None
    assignee_no: StaffNo | None = None


class AssignIn(BaseModel):
    assignee_no: StaffNo


class ResolveIn(BaseModel):
    resolution: Annotated[str, Field(min_length=1, max_length=4000)]


class CallbackIn(BaseModel):
    satisfied: StrictBool
    notes: Annotated[str, Field(max_length=4000)] = ""


class Complaint(BaseModel):
    id: str
    vin: str | None
    customer_name: str | None
    customer_mobile: str | None
    source: str
    severity: Severity
    description: str
    follow_up_id: str | None
    repair_order_id: str | None
    state: State
    assignee_no: str | None
    escalated_to: str | None
    resolution: str | None
    callback_notes: str | None
    callbacks: int
    created_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    hours_to_close: float | None
    allowed_actions: list[str]
    version: int


@router.post("", status_code=201, response_model=Complaint, responses={422: {}})
async def record_complaint(body: ComplaintIn, kit: KitDep, principal: Staff) -> dict[str, Any]:
    return await service.create(kit, body.model_dump(), by=principal)


@router.get("", response_model=Page[Complaint])
async def list_complaints(
    kit: KitDep,
    _: Staff,
    state: State | None = None,
    vin: Annotated[VinFilter | None, Query()] = None,
    escalated: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> Page[Complaint]:
    items, next_cursor = await service.search(
        kit, state=state, vin=vin, escalated=escalated, limit=limit, cursor=cursor
    )
    return Page[Complaint](items=[Complaint.model_validate(i) for i in items], next_cursor=next_cursor)


@router.get("/{complaint_id}", response_model=Complaint, responses={404: {}})
async def get_complaint(complaint_id: str, kit: KitDep, _: Staff) -> dict[str, Any]:
    return await service.get(kit, complaint_id)


@router.post("/{complaint_id}/assign", response_model=Complaint, responses={404: {}, 409: {}, 412: {}, 422: {}})
async def assign_complaint(
    complaint_id: str, body: AssignIn, kit: KitDep, principal: Staff, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.act(kit, complaint_id, "assign", by=principal, if_match=if_match, assignee_no=body.assignee_no)


@router.post("/{complaint_id}/resolve", response_model=Complaint, responses={404: {}, 409: {}, 412: {}})
async def resolve(
    complaint_id: str, body: ResolveIn, kit: KitDep, principal: Staff, if_match: IfMatch = None
) -> dict[str, Any]:
    return await service.act(kit, complaint_id, "resolve", by=principal, if_match=if_match, resolution=body.resolution)


@router.post("/{complaint_id}/callback", response_model=Complaint, responses={404: {}, 409: {}, 412: {}})
async def callback(
    complaint_id: str, body: CallbackIn, kit: KitDep, principal: Staff, if_match: IfMatch = None
) -> dict[str, Any]:
    action = "callback_satisfied" if body.satisfied else "callback_unsatisfied"
    return await service.act(kit, complaint_id, action, by=principal, if_match=if_match, callback_notes=body.notes)
