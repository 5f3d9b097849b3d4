from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from fours_contracts import Instant, Plate, VinFilter
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from insurance.registrations import rules, service

router = APIRouter(prefix="/api/v1", tags=["plate registration"])
Plates = Allowed(Permission.REGISTRATIONS_WORK)


class RegistrationPaperIn(BaseModel):
    received: bool
    note: Annotated[str | None, Field(max_length=500)] = None


class AppointmentIn(BaseModel):
    at: Instant
    office: Annotated[str, Field(min_length=1, max_length=200, examples=["苏州市车管所园区分所"])]


class PlateIn(BaseModel):
    plate: Plate
    """A mainland plate (苏E·12345; 苏E·D12345 for a new-energy car): kept as 苏E12345."""
    registered_on: date | None = None
    """Left out: today."""


class MortgageIn(BaseModel):
    notarised_on: date
    """The loan contract notarised (公证)."""
    mortgage_registered_on: date
    """The car's mortgage registered for the lender (抵押登记)."""


class RegistrationPaper(BaseModel):
    code: str
    label: str
    received: bool
    note: str | None
    updated_by: str | None
    updated_at: datetime | None


class Registration(BaseModel):
    id: str
    delivery_id: str
    order_id: str | None
    vin: str
    model: str
    customer_id: str
    customer_name: str
    customer_mobile: str
    consultant_no: str
    delivered_on: date
    due_on: date
    """REG-1: the temporary plate's last day."""
    overdue: bool
    financed: bool
    lender: str | None
    state: rules.State
    appointment_at: datetime | None
    office: str | None
    plate: str | None
    registered_on: date | None
    notarised_on: date | None
    mortgage_registered_on: date | None
    specialist_no: str | None
    version: int
    documents: list[RegistrationPaper]
    missing_documents: list[str]


Id = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/registrations", response_model=Page[Registration], responses={422: {}})
async def list_registrations(
    kit: KitDep,
    _: Plates,
    vin: VinFilter | None = None,
    state: rules.State | None = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The plate desk's list, newest first; ``overdue=true``: past the 15 days without a plate (or plated late)."""
    items, next_cursor = await service.search(kit, vin=vin, state=state, overdue=overdue, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/registrations/{registration_id}", response_model=Registration, responses={404: {}})
async def get_registration(registration_id: Id, kit: KitDep, _: Plates) -> dict[str, Any]:
    return await service.get(kit, registration_id)


@router.put(
    "/registrations/{registration_id}/documents/{code}",
    response_model=Registration,
    responses={404: {}, 409: {}},
)
async def tick_registration_paper(
    registration_id: Id,
    code: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$")],
    body: RegistrationPaperIn,
    kit: KitDep,
    principal: Plates,
) -> dict[str, Any]:
    """REG-2: a paper in (invoice, certificate of conformity, compulsory insurance, purchase tax)."""
    return await service.put_document(kit, registration_id, code, body.model_dump(), by=principal)


@router.put(
    "/registrations/{registration_id}/appointment",
    response_model=Registration,
    responses={404: {}, 409: {}, 412: {}},
)
async def book_registration(
    registration_id: Id,
    body: AppointmentIn,
    kit: KitDep,
    _: Plates,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """The appointment at the vehicle administration office."""
    return await service.book(kit, registration_id, body.model_dump(), if_match=if_match)


@router.post(
    "/registrations/{registration_id}/plate",
    response_model=Registration,
    responses={404: {}, 409: {}, 412: {}, 422: {}},
)
async def record_registration_plate(
    registration_id: Id,
    body: PlateIn,
    kit: KitDep,
    principal: Plates,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """REG-2: the plate, once every paper is in (409 ``documents-missing`` names the rest); publishes
    ``vehicle.registered``: aftersales finds the car by it, its policies gain it."""
    return await service.plate(kit, registration_id, body.model_dump(), by=principal, if_match=if_match)


@router.post(
    "/registrations/{registration_id}/mortgage",
    response_model=Registration,
    responses={404: {}, 409: {}, 412: {}},
)
async def record_registration_mortgage(
    registration_id: Id,
    body: MortgageIn,
    kit: KitDep,
    principal: Plates,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """REG-3: a financed car's mortgage and notarisation, after its plate; publishes ``vehicle.mortgaged``."""
    return await service.mortgage(kit, registration_id, body.model_dump(), by=principal, if_match=if_match)
