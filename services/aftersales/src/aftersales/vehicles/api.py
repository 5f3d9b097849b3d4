from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from servicekit.auth import Principal, require_roles
from servicekit.kit import KitDep
from servicekit.roles import AFTERSALES_STAFF, SALES_STAFF

from aftersales.vehicles import service

router = APIRouter(prefix="/api/v1/vehicles", tags=["vehicles"])
Staff = Annotated[Principal, Depends(require_roles(*AFTERSALES_STAFF, *SALES_STAFF))]


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
    owner: Owner


@router.get("/{vin}", response_model=Vehicle, responses={404: {}})
async def get_vehicle(vin: str, kit: KitDep, _: Staff) -> Vehicle:
    row = await service.get(kit, vin)
    owner = Owner(customer_id=row["owner_customer_id"], name=row["owner_name"], mobile=row["owner_mobile"])
    return Vehicle.model_validate({**row, "owner": owner})
