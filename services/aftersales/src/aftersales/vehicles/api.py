from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fours_contracts import Mobile, Plate, Vin
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from aftersales.vehicles import service

router = APIRouter(prefix="/api/v1/vehicles", tags=["vehicles"])
Staff = Allowed(Permission.VEHICLES_READ)
Desk = Allowed(Permission.VEHICLES_WRITE)


class Owner(BaseModel):
    customer_id: str | None
    name: str
    mobile: str


class Vehicle(BaseModel):
    vin: str
    model: str
    grade: str | None
    origin: str
    sold_status: str
    delivery_id: str | None
    consultant_no: str | None
    delivered_at: datetime | None
    segment: str | None = None
    plate: str | None = None
    """The number plate it carries now, as recorded at reception (粤B12345, without the dot)."""
    owner: Owner


class Vehicles(BaseModel):
    items: list[Vehicle]


class PlateIn(BaseModel):
    plate: Plate | None
    """The plate the car carries now; null when it has none."""


class OwnerIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    mobile: Mobile


class WalkInIn(BaseModel):
    vin: Vin
    model: Annotated[str, Field(min_length=1, max_length=100)]
    owner: OwnerIn
    plate: Plate | None = None


def _vehicle(row: dict[str, Any]) -> Vehicle:
    owner = Owner(customer_id=row["owner_customer_id"], name=row["owner_name"], mobile=row["owner_mobile"])
    return Vehicle.model_validate({**row, "owner": owner})


@router.post("", status_code=201, response_model=Vehicle, responses={409: {}})
async def register_vehicle(body: WalkInIn, kit: KitDep, principal: Desk) -> Vehicle:
    return _vehicle(await service.register_walk_in(kit, body.model_dump(), by=principal.username))


@router.get("", response_model=Vehicles)
async def find_vehicles(
    kit: KitDep,
    _: Staff,
    plate: Annotated[Plate, Query(description="The car carrying this plate (reception: the advisor reads the plate)")],
) -> Vehicles:
    return Vehicles(items=[_vehicle(row) for row in await service.by_plate(kit, plate)])


@router.put("/{vin}/plate", response_model=Vehicle, responses={404: {}})
async def record_plate(vin: Vin, body: PlateIn, kit: KitDep, _: Desk) -> Vehicle:
    return _vehicle(await service.record_plate(kit, vin, body.plate))


@router.get("/{vin}", response_model=Vehicle, responses={404: {}})
async def get_vehicle(vin: Vin, kit: KitDep, _: Staff) -> Vehicle:
    return _vehicle(await service.get(kit, vin))
