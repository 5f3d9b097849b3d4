"""Which service owns which ``/api/v1/<resource>``: one table, read by the proxy and the docs."""

ROUTES: dict[str, str] = {
    "customers": "leads",
    "deliveries": "leads",
    "leads": "leads",
    "visits": "leads",
    "integrations/leads": "leads",
    "lost-reasons": "leads",
    "tasks": "leads",
    "test-drive-cars": "leads",
    "test-drives": "leads",
    "stock": "leads",
    "quotes": "leads",
    "orders": "leads",
    "reports/funnel": "leads",
    "vehicles": "aftersales",
    "repair-orders": "aftersales",
    "follow-ups": "aftersales",
    "reminders": "aftersales",
    "complaints": "aftersales",
    "appointments": "aftersales",
    "segments": "aftersales",
    "quality-feedback": "aftersales",
    "home-visits": "aftersales",
    "owners": "aftersales",
    "reports/follow-ups": "aftersales",
    "service-intervals": "aftersales",
    "policies": "insurance",
    "integrations/policies:batch": "insurance",
    "integrations/intake-log": "insurance",
    "reports/insurance-penetration": "insurance",
    "sales-history": "marketing",
    "budgets": "marketing",
    "campaigns": "marketing",
    "reports/attribution": "marketing",
    "employees": "payroll",
    "commissions": "payroll",
    "commission-plans": "payroll",
    "targets": "payroll",
    "appraisals": "payroll",
    "adjustments": "payroll",
    "payroll-runs": "payroll",
}


def owner_of(path: str) -> str | None:
    """The service that owns ``/api/v1/<path>``, from the path's first segment."""
    parts = path.split("/")
    return ROUTES.get("/".join(parts[:2])) or ROUTES.get(parts[0])
