"""Who may do what: the one role → permission table of FourS. Services guard each endpoint with
``require(Permission.X)`` and then apply their data scopes (own / team / all) themselves; the gateway
publishes the table at ``GET /api/v1/roles`` for frontends. The general manager may do everything."""

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Annotated

from fastapi import Depends

from servicekit.auth import CurrentPrincipal, Principal
from servicekit.errors import Forbidden
from servicekit.roles import Role


class Permission(StrEnum):
    EMPLOYEES_READ = "employees:read"
    EMPLOYEES_WRITE = "employees:write"
    COMMISSIONS_READ = "commissions:read"
    PAYROLL_INPUTS = "payroll:inputs"
    """Targets, appraisal scores and manual adjustments of a month."""
    PAYROLL_RUN = "payroll:run"
    """Commission plans, and computing, approving and locking a month."""
    DELIVERIES_WRITE = "deliveries:write"
    LEADS_WRITE = "leads:write"
    """Staff entering and working leads; also the integration scope of the web and portal intake."""
    LEADS_MANAGE = "leads:manage"
    """Reassigning and merging customers, the lost-reason list, approving quotes below the floor price."""
    STOCK_WRITE = "stock:write"
    """New-car arrivals, PDI results and the test-drive fleet."""
    VEHICLES_READ = "vehicles:read"
    VEHICLES_WRITE = "vehicles:write"
    APPOINTMENTS_WRITE = "appointments:write"
    REPAIR_ORDERS_WRITE = "repair_orders:write"
    FOLLOW_UPS_READ = "follow_ups:read"
    FOLLOW_UPS_CALL = "follow_ups:call"
    COMPLAINTS_WRITE = "complaints:write"
    REMINDERS_WRITE = "reminders:write"
    SERVICE_INTERVALS_WRITE = "service_intervals:write"
    SEGMENTS_READ = "segments:read"
    QUALITY_WRITE = "quality:write"
    HOME_VISITS_READ = "home_visits:read"
    HOME_VISITS_DRAW = "home_visits:draw"
    AFTERSALES_REPORTS = "reports:aftersales"
    PARTS_READ = "parts:read"
    """The parts catalogue, its stock and ledger: the service desk and the parts department."""
    PARTS_WRITE = "parts:write"
    """The catalogue, goods received, counter sales and stock counts: the parts department."""
    PARTS_PURCHASE = "parts:purchase"
    """Purchase orders: the parts manager and the parts planner."""
    PARTS_APPROVE = "parts:approve"
    """Approving a stock count's variances into the books: the parts manager (and above)."""
    WORKSHOP_MANAGE = "workshop:manage"
    """The workshop's numbers (output, margin, targets, CSI) and setting the year's targets: the
    service manager and the station head."""
    WARRANTY_CLAIMS = "warranty:claims"
    """Filing warranty claims with the manufacturer and recording its answers: the warranty clerk, the
    service manager and the station head."""
    WARRANTY_DECIDE = "warranty:decide"
    """Integration scope: the manufacturer answers warranty claims in batches."""
    INSURANCE_PUSH = "insurance:push"
    """Integration scope: manufacturers and insurers push policy batches."""
    POLICIES_READ = "policies:read"
    RENEWALS_WORK = "renewals:work"
    """Working the renewals assigned to oneself: quotes, calls, outcomes."""
    INSURANCE_MANAGE = "insurance:manage"
    """All renewals, assigning them, the insurance reports and the non-renewal analysis."""
    INSURANCE_RECONCILE = "insurance:reconcile"
    """Insurers' commission statements and their reconciliation (INS-5)."""
    LOANS_WORK = "loans:work"
    """Car loan applications: the finance specialist their own; with ``loans:manage`` or
    ``loans:risk`` every one."""
    LOANS_RISK = "loans:risk"
    """The risk desk's reviews of loan applications (credit check, home visit, counter-guarantees)."""
    LOANS_MANAGE = "loans:manage"
    """All loan applications, assigning them, the lenders' document checklists and decline reasons,
    submitting a referred application, the loan report: the finance manager."""
    LOANS_REPAY = "loans:repay"
    """Integration scope: lenders push repayment statements in batches."""
    REGISTRATIONS_WORK = "registrations:work"
    """Plate registration of delivered cars, and a financed car's mortgage and notarisation: the plate
    specialist and the finance manager."""
    MARKETING_READ = "marketing:read"
    MARKETING_WRITE = "marketing:write"
    BUDGET_APPROVE = "budget:approve"
    """Approving the annual marketing budget and spend over budget: the general manager only."""
    CALENDAR_WRITE = "calendar:write"
    """The store's working-day calendar of each year: the general manager and the HR/admin manager."""
    ADMIN = "admin"
    """Users, API keys, dead letters, audit: the general manager only."""


_SALES = {
    Permission.DELIVERIES_WRITE,
    Permission.LEADS_WRITE,
    Permission.VEHICLES_READ,
    Permission.FOLLOW_UPS_READ,
    Permission.POLICIES_READ,
}
_SERVICE_DESK = {
    Permission.PARTS_READ,
    Permission.VEHICLES_READ,
    Permission.VEHICLES_WRITE,
    Permission.APPOINTMENTS_WRITE,
    Permission.FOLLOW_UPS_READ,
    Permission.COMPLAINTS_WRITE,
    Permission.REMINDERS_WRITE,
    Permission.SEGMENTS_READ,
    Permission.QUALITY_WRITE,
    Permission.HOME_VISITS_READ,
}
_SERVICE_MANAGEMENT = _SERVICE_DESK | {
    Permission.REPAIR_ORDERS_WRITE,
    Permission.FOLLOW_UPS_CALL,
    Permission.SERVICE_INTERVALS_WRITE,
    Permission.HOME_VISITS_DRAW,
    Permission.AFTERSALES_REPORTS,
    Permission.PAYROLL_INPUTS,
    Permission.WARRANTY_CLAIMS,
    Permission.WORKSHOP_MANAGE,
}
"""What the service manager and, above them, the station head (服务站长) run aftersales by."""

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.GENERAL_MANAGER: frozenset(Permission),
    Role.SALES_MANAGER: frozenset(
        _SALES
        | {
            Permission.COMMISSIONS_READ,
            Permission.PAYROLL_INPUTS,
            Permission.MARKETING_READ,
            Permission.LEADS_MANAGE,
            Permission.STOCK_WRITE,
        }
    ),
    Role.SHOWROOM_SUPERVISOR: frozenset(_SALES | {Permission.STOCK_WRITE}),
    Role.SALES_CONSULTANT: frozenset(_SALES),
    Role.KEY_ACCOUNT: frozenset(_SALES),
    Role.ONLINE_SPECIALIST: frozenset(_SALES),
    Role.MARKETING_MANAGER: frozenset(
        {Permission.SEGMENTS_READ, Permission.MARKETING_READ, Permission.MARKETING_WRITE}
    ),
    Role.MARKETING_STAFF: frozenset({Permission.SEGMENTS_READ, Permission.MARKETING_READ, Permission.MARKETING_WRITE}),
    Role.STATION_HEAD: frozenset(_SERVICE_MANAGEMENT | {Permission.PARTS_APPROVE}),
    Role.SERVICE_MANAGER: frozenset(_SERVICE_MANAGEMENT),
    Role.SERVICE_ADVISOR: frozenset(
        _SERVICE_DESK | {Permission.REPAIR_ORDERS_WRITE, Permission.RENEWALS_WORK, Permission.POLICIES_READ}
    ),
    Role.FOLLOW_UP_CALLER: frozenset(_SERVICE_DESK | {Permission.FOLLOW_UPS_CALL, Permission.AFTERSALES_REPORTS}),
    Role.WARRANTY_CLERK: frozenset(
        {Permission.WARRANTY_CLAIMS, Permission.VEHICLES_READ, Permission.PARTS_READ, Permission.FOLLOW_UPS_READ}
    ),
    Role.PARTS_MANAGER: frozenset(
        {
            Permission.PARTS_READ,
            Permission.PARTS_WRITE,
            Permission.PARTS_PURCHASE,
            Permission.PARTS_APPROVE,
            Permission.AFTERSALES_REPORTS,
            Permission.VEHICLES_READ,
        }
    ),
    Role.PARTS_PLANNER: frozenset(
        {Permission.PARTS_READ, Permission.PARTS_WRITE, Permission.PARTS_PURCHASE, Permission.VEHICLES_READ}
    ),
    Role.WAREHOUSE_KEEPER: frozenset({Permission.PARTS_READ, Permission.PARTS_WRITE}),
    Role.INSURANCE_SPECIALIST: frozenset(
        {Permission.VEHICLES_READ, Permission.POLICIES_READ, Permission.RENEWALS_WORK}
    ),
    Role.INSURANCE_MANAGER: frozenset(
        {
            Permission.VEHICLES_READ,
            Permission.POLICIES_READ,
            Permission.RENEWALS_WORK,
            Permission.INSURANCE_MANAGE,
            Permission.INSURANCE_RECONCILE,
            Permission.PAYROLL_INPUTS,
        }
    ),
    Role.FINANCE_MANAGER: frozenset(
        {
            Permission.LOANS_WORK,
            Permission.LOANS_RISK,
            Permission.LOANS_MANAGE,
            Permission.REGISTRATIONS_WORK,
            Permission.VEHICLES_READ,
            Permission.POLICIES_READ,
            Permission.PAYROLL_INPUTS,
        }
    ),
    Role.FINANCE_SPECIALIST: frozenset({Permission.LOANS_WORK, Permission.VEHICLES_READ, Permission.POLICIES_READ}),
    Role.RISK_OFFICER: frozenset({Permission.LOANS_WORK, Permission.LOANS_RISK}),
    Role.PLATE_SPECIALIST: frozenset({Permission.REGISTRATIONS_WORK, Permission.VEHICLES_READ}),
    Role.HR_MANAGER: frozenset(
        {
            Permission.EMPLOYEES_READ,
            Permission.EMPLOYEES_WRITE,
            Permission.COMMISSIONS_READ,
            Permission.PAYROLL_INPUTS,
            Permission.PAYROLL_RUN,
            Permission.CALENDAR_WRITE,
        }
    ),
    Role.FINANCE: frozenset(
        {
            Permission.EMPLOYEES_READ,
            Permission.COMMISSIONS_READ,
            Permission.MARKETING_READ,
            Permission.INSURANCE_RECONCILE,
        }
    ),
    Role.INTEGRATION: frozenset(),
}


def allowed(role: str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def holds(principal: Principal, permission: Permission) -> bool:
    return allowed(principal.role, permission) or permission.value in principal.scopes


def require(permission: Permission) -> Callable[[Principal], Awaitable[Principal]]:
    """Dependency: 403 unless the caller's role (or, for an API key, its scopes) grants ``permission``.
    (Async, as every dependency here: a plain ``def`` would cost a thread-pool hop per request.)"""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not holds(principal, permission):
            raise Forbidden(
                f"role {principal.role!r} lacks the permission {permission.value!r}", permission=permission.value
            )
        return principal

    return check


def Allowed(permission: Permission) -> type[Principal]:
    """``principal: Allowed(Permission.X)`` in an endpoint's signature."""
    return Annotated[Principal, Depends(require(permission))]  # type: ignore[return-value]
