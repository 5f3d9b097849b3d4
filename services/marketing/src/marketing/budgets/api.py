from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from fours_contracts import Integer
from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field
from servicekit.errors import Unprocessable, field_error
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from marketing.budgets import rules, service
from marketing.spends import SpendIn

router = APIRouter(prefix="/api/v1", tags=["budgets"])
Readers = Allowed(Permission.MARKETING_READ)
Writers = Allowed(Permission.MARKETING_WRITE)
Approver = Allowed(Permission.BUDGET_APPROVE)
Year = Annotated[int, Path(ge=2000, le=2100)]
Amount = Annotated[Decimal, Decimals(ge=0)]
Category = rules.Category


class HistoryIn(BaseModel):
    months: Annotated[list[Annotated[Integer, Field(ge=0, le=100_000)]], Field(min_length=12, max_length=12)]


class History(HistoryIn):
    year: int
    source: str


class Line(BaseModel):
    category: Category
    amount: Amount


class BudgetIn(BaseModel):
    lines: Annotated[list[Line], Field(min_length=1, max_length=6)]
    last_year_actual: Amount | None = None
    fixed_share: Annotated[Decimal, Decimals(ge=0, le=1, digits=4, places=3)] = Decimal("0.3")
    """(our default) the share of each month kept for fixed running spend (MKT-3)."""


class Budget(BaseModel):
    year: int
    state: rules.State
    lines: list[Line]
    annual: Decimal
    last_year_actual: Decimal | None
    fixed_share: Decimal
    submitted_by: str | None
    approved_by: str | None
    version: int


class SplitIn(BaseModel):
    annual: Amount | None = None
    """A what-if amount; without it the approved budget's total is split."""


class MonthAmount(BaseModel):
    month: str
    amount: Decimal
    fixed: Decimal
    activity: Decimal
    rule_amount: Decimal
    """What MKT-2 gives the month; ``amount`` differs only under a manual override."""
    moved: Decimal
    """amount − rule_amount."""


class Split(BaseModel):
    year: int
    annual: Decimal
    based_on: list[int]
    months: list[MonthAmount]
    overridden: bool = False
    moved_total: Decimal = Decimal("0")
    """How much the override moved between months (the sum of the increases)."""


class OverrideMonth(BaseModel):
    month: Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
    amount: Annotated[Decimal, Decimals(ge=0, places=0)]


class OverrideIn(BaseModel):
    months: Annotated[list[OverrideMonth], Field(min_length=12, max_length=12)]
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class FixedSpendIn(SpendIn):
    """A spend charged to a month's fixed running budget rather than to a campaign."""

    month: Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]


class FixedSpend(BaseModel):
    id: str
    kind: str
    amount: Decimal
    description: str
    overrun_approved_by: str | None
    created_by: str


class FixedMonth(BaseModel):
    month: str
    budget: Decimal
    spent: Decimal
    remaining: Decimal
    spends: list[FixedSpend]


@router.put("/sales-history/{year}", response_model=History)
async def enter_sales_history(year: Year, body: HistoryIn, kit: KitDep, _: Writers) -> dict[str, Any]:
    return await service.enter_history(kit, year, body.months)


@router.get("/sales-history/{year}", response_model=History)
async def sales_history(year: Year, kit: KitDep, _: Readers) -> dict[str, Any]:
    return await service.history(kit, year)


@router.put("/budgets/{year}", response_model=Budget, responses={409: {}})
async def save_budget(year: Year, body: BudgetIn, kit: KitDep, _: Writers) -> dict[str, Any]:
    return await service.save_draft(kit, year, body.model_dump())


@router.get("/budgets/{year}", response_model=Budget, responses={404: {}})
async def get_budget(year: Year, kit: KitDep, _: Readers) -> dict[str, Any]:
    return await service.get(kit, year)


@router.post("/budgets/{year}/submit", response_model=Budget, responses={404: {}, 409: {}})
async def submit(year: Year, kit: KitDep, principal: Writers) -> dict[str, Any]:
    return await service.act(kit, year, "submit", by=principal.username)


@router.post("/budgets/{year}/approve", response_model=Budget, responses={404: {}, 409: {}})
async def approve_budget(year: Year, kit: KitDep, principal: Approver) -> dict[str, Any]:
    return await service.act(kit, year, "approve", by=principal.username)


@router.post("/budgets/{year}/close", response_model=Budget, responses={404: {}, 409: {}})
async def close(year: Year, kit: KitDep, principal: Approver) -> dict[str, Any]:
    return await service.act(kit, year, "close", by=principal.username)


@router.get("/budgets/{year}/monthly-split", response_model=Split, responses={409: {}})
async def read_split(year: Year, kit: KitDep, _: Readers) -> dict[str, Any]:
    """The approved budget's months as they stand: the MKT-2 rule's, or the manual override."""
    return await service.split(kit, year, None)


@router.post("/budgets/{year}/monthly-split", response_model=Split, responses={409: {}, 422: {}})
async def monthly_split(
    year: Year, kit: KitDep, _: Readers, body: Annotated[SplitIn | None, Body()] = None
) -> dict[str, Any]:
    return await service.split(kit, year, body.annual if body else None)


@router.put("/budgets/{year}/monthly-split", response_model=Split, responses={403: {}, 409: {}, 422: {}})
async def override_split(year: Year, body: OverrideIn, kit: KitDep, principal: Writers) -> dict[str, Any]:
    """A manual split of the approved budget: the 12 months must keep the year's total (422 with the
    figures otherwise); the answer says how far each month moved from the rule."""
    months = sorted(body.months, key=lambda m: m.month)
    if [m.month for m in months] != [f"{year}-{n:02d}" for n in range(1, 13)]:
        raise Unprocessable(
            "give each month of the year once", errors=[field_error("months", f"{year}-01 … {year}-12")]
        )
    return await service.override_split(kit, year, [m.amount for m in months], body.reason, by=principal.username)


@router.delete("/budgets/{year}/monthly-split", response_model=Split, responses={409: {}})
async def clear_override(year: Year, kit: KitDep, _: Writers) -> dict[str, Any]:
    """Back to the MKT-2 rule."""
    return await service.clear_override(kit, year)


@router.post("/fixed-spends", status_code=201, response_model=FixedMonth, responses={403: {}, 409: {}, 422: {}})
async def fixed_spend(body: FixedSpendIn, kit: KitDep, principal: Writers) -> dict[str, Any]:
    """Running spend (常态) against the month's fixed budget (MKT-3); over it → 409 unless the GM approves."""
    return await service.fixed_spend(kit, body.model_dump(), by=principal)


@router.get("/fixed-spends", response_model=FixedMonth, responses={409: {}})
async def fixed_spends(
    kit: KitDep, _: Readers, month: Annotated[str, Query(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
) -> dict[str, Any]:
    return await service.fixed_spends_of(kit, month)
