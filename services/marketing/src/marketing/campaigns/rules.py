"""MKT-4/MKT-6: a campaign's budget comes from its month's activity budget, and spend beyond what is
left is refused unless the general manager approves the overrun."""

from decimal import Decimal

FORMS = ("auto_show", "in_store_event", "roadshow", "new_model_launch", "car_club", "event_marketing", "media_event")
PLAN_PARTS = (
    "background",
    "objective",
    "theme",
    "time",
    "content",
    "owners",
    "targets",
    "advertising",
    "promotion_policy",
    "budget_breakdown",
)


def overspend(limit: Decimal, used: Decimal, amount: Decimal) -> Decimal:
    """How far ``amount`` would go beyond what is left of ``limit`` (0 when it fits)."""
    return max(Decimal("0.00"), used + amount - limit)
