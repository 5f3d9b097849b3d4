"""INS-6: new-car insurance penetration, the share of the month's delivered cars insured through the store."""

from decimal import ROUND_HALF_UP, Decimal


def penetration(delivered: int, insured: int) -> Decimal | None:
    if delivered == 0:
        return None
    return (Decimal(insured) / Decimal(delivered)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
