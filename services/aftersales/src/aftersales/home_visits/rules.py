"""AS-8: each month a chosen share of customers is visited at home. The draw is deterministic per
month (ordered by a hash of VIN and month), so drawing again gives the same list."""

import hashlib
import math


def draw_order(vin: str, month: str) -> str:
    return hashlib.sha256(f"{month}:{vin}".encode()).hexdigest()


def how_many(share: float, population: int) -> int:
    if not 0 < share <= 1:
        raise ValueError("the share is above 0 and at most 1")
    return min(population, math.ceil(share * population)) if population else 0


def draw(vins: list[str], month: str, share: float) -> list[str]:
    return sorted(vins, key=lambda v: draw_order(v, month))[: how_many(share, len(vins))]
