"""INS-4: the insurance reports come every **Monday morning** (the week before) and **before the 5th**
(the month before) — on those days whatever the calendar says: a Monday that is a public holiday
still gets its report, so the managers find it when they are back (our default: 08:00 Shanghai on
Monday, and on the 1st of the month).

INS-5: insurer commission (手续费) is reconciled per policy: what the store expects (premium × the
policy's commission rate) against what the insurer's statement says it paid."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from servicekit.calendar import SHANGHAI, next_month_start

RUN_AT = time(8, 0)


def next_weekly_run(after: datetime) -> datetime:
    """The first Monday 08:00 (Shanghai) strictly after ``after``."""
    local = after.astimezone(SHANGHAI)
    day = local.date() + timedelta(days=(7 - local.weekday()) % 7)
    candidate = datetime.combine(day, RUN_AT, SHANGHAI)
    return candidate if candidate > local else candidate + timedelta(days=7)


def next_monthly_run(after: datetime) -> datetime:
    """The first 1st-of-the-month 08:00 (Shanghai) strictly after ``after``."""
    local = after.astimezone(SHANGHAI)
    candidate = datetime.combine(local.date().replace(day=1), RUN_AT, SHANGHAI)
    if candidate > local:
        return candidate
    return datetime.combine(next_month_start(local.date()), RUN_AT, SHANGHAI)


def period_of(kind: str, run_at: datetime) -> tuple[date, date]:
    """The period a run reports on: the Monday–Sunday before a weekly run, the month before a monthly one."""
    day = run_at.astimezone(SHANGHAI).date()
    if kind == "weekly":
        start = day - timedelta(days=day.weekday() + 7)
        return start, start + timedelta(days=6)
    end = day.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def ratio(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Expected:
    policy_no: str
    premium: Decimal
    amount: Decimal | None
    """Premium × commission rate; None when the policy carries no rate."""


def reconcile(expected: list[Expected], received: dict[str, Decimal]) -> dict[str, Any]:
    """Per policy: expected vs received, and every difference — paid short or over, not paid, paid
    for a policy the store does not know for that month."""
    lines, differences = [], []
    seen = set()
    for policy in sorted(expected, key=lambda p: p.policy_no):
        got = received.get(policy.policy_no)
        seen.add(policy.policy_no)
        diff = None if policy.amount is None or got is None else got - policy.amount
        status = (
            "no_rate"
            if policy.amount is None
            else "not_paid"
            if got is None
            else "matched"
            if diff == 0
            else "short"
            if diff is not None and diff < 0
            else "over"
        )
        line = {
            "policy_no": policy.policy_no,
            "premium": policy.premium,
            "expected": policy.amount,
            "received": got,
            "difference": diff,
            "status": status,
        }
        lines.append(line)
        if status != "matched":
            differences.append(line)
    for policy_no in sorted(set(received) - seen):
        line = {
            "policy_no": policy_no,
            "premium": None,
            "expected": None,
            "received": received[policy_no],
            "difference": received[policy_no],
            "status": "unknown_policy",
        }
        lines.append(line)
        differences.append(line)
    expected_total = sum((p.amount for p in expected if p.amount is not None), Decimal("0.00"))
    received_total = sum(received.values(), Decimal("0.00"))
    return {
        "lines": lines,
        "differences": differences,
        "expected_total": expected_total,
        "received_total": received_total,
        "difference_total": received_total - expected_total,
    }
