"""Each role against a sample of routes through the gateway: 403 where its permissions end, never
a 403 where they allow (a 422 for the empty body shows the request got past authorisation)."""

import pytest
from fours_devstack.testing import Stack
from servicekit.permissions import ROLE_PERMISSIONS, Permission
from servicekit.roles import Role

ROUTES = [
    ("POST", "/api/v1/employees", Permission.EMPLOYEES_WRITE),
    ("POST", "/api/v1/deliveries", Permission.DELIVERIES_WRITE),
    ("POST", "/api/v1/vehicles", Permission.VEHICLES_WRITE),
    ("POST", "/api/v1/repair-orders", Permission.REPAIR_ORDERS_WRITE),
    ("POST", "/api/v1/appointments", Permission.APPOINTMENTS_WRITE),
    ("POST", "/api/v1/complaints", Permission.COMPLAINTS_WRITE),
    ("POST", "/api/v1/quality-feedback", Permission.QUALITY_WRITE),
    ("PUT", "/api/v1/service-intervals/Lavida", Permission.SERVICE_INTERVALS_WRITE),
    ("POST", "/api/v1/home-visits/2031-05", Permission.HOME_VISITS_DRAW),
    ("GET", "/api/v1/reports/follow-ups", Permission.AFTERSALES_REPORTS),
    ("GET", "/api/v1/segments/loyal/vehicles?limit=0", Permission.SEGMENTS_READ),
    ("POST", "/api/v1/loan-applications", Permission.LOANS_WORK),
    ("POST", "/api/v1/loan-applications/none/risk-review", Permission.LOANS_RISK),
    ("PUT", "/api/v1/loan-documents/ICBC", Permission.LOANS_MANAGE),
    ("POST", "/api/v1/registrations/none/plate", Permission.REGISTRATIONS_WORK),
    ("POST", "/api/v1/users", Permission.ADMIN),
    ("GET", "/api/v1/admin/leads/dead-letters?limit=0", Permission.ADMIN),
]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.INTEGRATION])
async def test_role_reaches_exactly_what_its_permissions_allow(stack: Stack, role: Role) -> None:
    async with stack.client(token=stack.token(role.value, employee_no="E-ROLE", username=f"u-{role.value}")) as api:
        for method, path, permission in ROUTES:
            response = await api.request(method, path, json={} if method != "GET" else None)
            if permission in ROLE_PERMISSIONS[role]:
                assert response.status_code != 403, f"{role} should reach {method} {path}"
                assert response.status_code == 422, (role, method, path, response.text)
            else:
                assert response.status_code == 403, f"{role} must not reach {method} {path}"
                assert response.json()["type"].endswith("forbidden")


def test_the_general_manager_holds_every_permission_and_every_permission_has_a_holder() -> None:
    assert ROLE_PERMISSIONS[Role.GENERAL_MANAGER] == frozenset(Permission)
    granted = set().union(*(perms for role, perms in ROLE_PERMISSIONS.items() if role != Role.GENERAL_MANAGER))
    only_gm_or_integrations = {
        Permission.ADMIN,
        Permission.BUDGET_APPROVE,
        Permission.INSURANCE_PUSH,
        Permission.WARRANTY_DECIDE,
        Permission.LOANS_REPAY,
    }
    assert granted == set(Permission) - only_gm_or_integrations
