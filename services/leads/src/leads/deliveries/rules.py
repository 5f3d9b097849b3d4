"""Facts of a handover (LEAD-8/9) that hold whatever the storage."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any


def can_cancel(status: str) -> bool:
    return status == "delivered"


def channel_of(*, key_account: bool, web_lead: bool) -> str:
    """LEAD-9's channel of a sale from its order: a key account (a company with a signed agreement,
    LEAD-3) is a key-account sale, a lead left on the website or a portal an online sale, anything else
    the showroom's (a company without an agreement included: it counts for the consultant's PAY-3)."""
    if key_account:
        return "key_account"
    return "online" if web_lead else "showroom"


def accessories_of(items: Iterable[Mapping[str, Any]]) -> dict[str, Decimal] | None:
    """The quote's accessories as the handover carries them: their total price and cost (PAY-6)."""
    chosen = list(items)
    if not chosen:
        return None
    return {
        "price": sum((Decimal(str(a["price"])) for a in chosen), Decimal("0")),
        "cost": sum((Decimal(str(a["cost"])) for a in chosen), Decimal("0")),
    }
