"""LEAD-10: the sales funnel — showroom traffic, test-drive rate, closing rate, lost reasons, each
consultant's productivity — for a day, week or month, by consultant, team, source or period.

Rates (our reading of the seeds' terms): test-drive rate = test drives ÷ visits; closing rate (成交率)
= orders ÷ visits; conversion = deliveries ÷ leads. A rate over nothing is ``None``, not 0.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

STAGES = ("leads", "contacts", "visits", "test_drives", "quotes", "orders", "deliveries", "lost")


def rate(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def funnel_row(key: str | None, counts: dict[str, int], lost_reasons: dict[str, int]) -> dict[str, Any]:
    row: dict[str, Any] = {"key": key, **{stage: counts.get(stage, 0) for stage in STAGES}}
    row["lost_reasons"] = dict(sorted(lost_reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    row["test_drive_rate"] = rate(row["test_drives"], row["visits"])
    row["closing_rate"] = rate(row["orders"], row["visits"])
    row["conversion_rate"] = rate(row["deliveries"], row["leads"])
    return row


def funnel(counts: dict[tuple[str, str | None], int], reasons: dict[tuple[str | None, str], int]) -> dict[str, Any]:
    """``counts`` by (stage, key) and lost ``reasons`` by (key, reason) → one row per key, sorted by
    key (no key last), and the total row."""
    keys = sorted({k for _, k in counts} | {k for k, _ in reasons}, key=lambda k: (k is None, k or ""))
    rows = []
    for key in keys:
        rows.append(
            funnel_row(
                key,
                {s: n for (s, k), n in counts.items() if k == key},
                {r: n for (k, r), n in reasons.items() if k == key},
            )
        )
    totals: dict[str, int] = {}
    for (stage, _), n in counts.items():
        totals[stage] = totals.get(stage, 0) + n
    all_reasons: dict[str, int] = {}
    for (_, reason), n in reasons.items():
        all_reasons[reason] = all_reasons.get(reason, 0) + n
    return {"rows": rows, "total": funnel_row(None, totals, all_reasons)}
