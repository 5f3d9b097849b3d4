"""MKT-8 attribution: leads carry campaign and channel; a delivery counts for the campaign of the
customer's latest lead before it (last touch, our default); cost per lead and per sale and ROI come
from spend over those counts."""

from decimal import ROUND_HALF_UP, Decimal


def per(amount: Decimal, count: int) -> Decimal | None:
    return (amount / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if count else None


def roi(revenue: Decimal, spend: Decimal) -> Decimal | None:
    """(revenue − spend) ÷ spend."""
    return ((revenue - spend) / spend).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if spend else None
