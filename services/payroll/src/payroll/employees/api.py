from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Day, Integer
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.auth import CurrentPrincipal
from servicekit.concurrency import IfMatch
from servicekit.errors import Forbidden
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission, holds
from servicekit.roles import Role

from payroll.employees import service

router = APIRouter(prefix="/api/v1/employees", tags=["employees"])
HR = Allowed(Permission.EMPLOYEES_WRITE)
Readers = Allowed(Permission.EMPLOYEES_READ)
EmployeeNo = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$", examples=["S001"])]


class EmployeeIn(BaseModel):
    employee_no: EmployeeNo
    name: Annotated[str, Field(min_length=1, max_length=100)]
    role: Role
    team: Annotated[str | None, Field(max_length=64)] = None
    hired_on: Day
    base_wage: Annotated[Decimal, Decimals(ge=0)]
    """The post wage (岗位工资), e.g. grades 1000/1100/1200/1300/1400."""
    performance_wage: Annotated[Decimal, Decimals(ge=0)] = Decimal("0.00")
    wage_grade: Annotated[Integer | None, Field(ge=1, le=10)] = None
    probation_until: Day | None = None
    """The last day of probation (试用期): until the month it ends in, the post wage only (PAY-1)."""


class EmployeeChange(BaseModel):
    """What is left out stays; team, grade, leaving and probation may be removed (null), the rest not."""

    name: Annotated[str, Field(min_length=1, max_length=100)] = None  # type: ignore[assignment]
    role: Role = None  # type: ignore[assignment]
    team: Annotated[str | None, Field(max_length=64)] = None
    base_wage: Annotated[Decimal, Decimals(ge=0)] = None  # type: ignore[assignment]
    performance_wage: Annotated[Decimal, Decimals(ge=0)] = None  # type: ignore[assignment]
    wage_grade: Annotated[Integer | None, Field(ge=1, le=10)] = None
    left_on: Day | None = None
    probation_until: Day | None = None


class Employee(EmployeeIn):
    left_on: date | None = None
    version: int


@router.post("", status_code=201, response_model=Employee, responses={409: {}})
async def hire_employee(body: EmployeeIn, kit: KitDep, principal: HR) -> Employee:
    row = await service.hire(kit, body.model_dump(), by=principal.username)
    return Employee.model_validate(row)


@router.get("", response_model=Page[Employee], responses={422: {}})
async def list_employees(
    kit: KitDep,
    _: Readers,
    role: Role | None = None,
    team: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100, description="a part of the name or number")] = None,
    state: Literal["on_staff", "left", "all"] = "on_staff",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The staff by employee number: on staff today (the default), those who left, or all."""
    items, next_cursor = await service.search(kit, role=role, team=team, q=q, state=state, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.patch("/{employee_no}", response_model=Employee, responses={404: {}, 412: {}})
async def change_employee(
    employee_no: str, body: EmployeeChange, kit: KitDep, principal: HR, if_match: IfMatch = None
) -> Employee:
    row = await service.change(kit, employee_no, body.model_dump(exclude_unset=True), if_match=if_match)
    return Employee.model_validate(row)


@router.get("/{employee_no}", response_model=Employee)
async def get_employee(employee_no: str, kit: KitDep, principal: CurrentPrincipal) -> Employee:
    if principal.employee_no != employee_no and not holds(principal, Permission.EMPLOYEES_READ):
        raise Forbidden("you may read only your own employee record")
    return Employee.model_validate(await service.get(kit, employee_no))
