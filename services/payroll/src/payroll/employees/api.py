from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Header
from pydantic import BaseModel, Field
from servicekit.auth import CurrentPrincipal
from servicekit.errors import Forbidden
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission, holds
from servicekit.roles import Role

from payroll.employees import service

router = APIRouter(prefix="/api/v1/employees", tags=["employees"])
HR = Allowed(Permission.EMPLOYEES_WRITE)
EmployeeNo = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$", examples=["S001"])]


class EmployeeIn(BaseModel):
    employee_no: EmployeeNo
    name: Annotated[str, Field(min_length=1, max_length=100)]
    role: Role
    team: Annotated[str | None, Field(max_length=64)] = None
    hired_on: date
    base_wage: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
    """The post wage (岗位工资), e.g. grades 1000/1100/1200/1300/1400."""
    performance_wage: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] = Decimal("0.00")
    wage_grade: Annotated[int | None, Field(ge=1, le=10)] = None
    probation_until: date | None = None
    """The last day of probation (试用期): until the month it ends in, the post wage only (PAY-1)."""


class EmployeeChange(BaseModel):
    name: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    role: Role | None = None
    team: Annotated[str | None, Field(max_length=64)] = None
    base_wage: Annotated[Decimal | None, Field(ge=0, max_digits=14, decimal_places=2)] = None
    performance_wage: Annotated[Decimal | None, Field(ge=0, max_digits=14, decimal_places=2)] = None
    wage_grade: Annotated[int | None, Field(ge=1, le=10)] = None
    left_on: date | None = None
    probation_until: date | None = None


class Employee(EmployeeIn):
    left_on: date | None = None
    version: int


@router.post("", status_code=201, response_model=Employee)
async def hire_employee(body: EmployeeIn, kit: KitDep, principal: HR) -> Employee:
    row = await service.hire(kit, body.model_dump(), by=principal.username)
    return Employee.model_validate(row)


@router.patch("/{employee_no}", response_model=Employee, responses={404: {}, 412: {}})
async def change_employee(
    employee_no: str, body: EmployeeChange, kit: KitDep, principal: HR, if_match: Annotated[str | None, Header()] = None
) -> Employee:
    row = await service.change(kit, employee_no, body.model_dump(exclude_unset=True), if_match=if_match)
    return Employee.model_validate(row)


@router.get("/{employee_no}", response_model=Employee)
async def get_employee(employee_no: str, kit: KitDep, principal: CurrentPrincipal) -> Employee:
    if principal.employee_no != employee_no and not holds(principal, Permission.EMPLOYEES_READ):
        raise Forbidden("you may read only your own employee record")
    return Employee.model_validate(await service.get(kit, employee_no))
