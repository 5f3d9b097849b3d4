"""INS-1/INS-2: what a policy is, and how a pushed item compares with what the store has."""

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, get_args

from fours_contracts import Coverage, normalise_plate

COVERAGES: tuple[str, ...] = get_args(Coverage)


def plate_key(raw: str) -> str:
    """How a policy's plate is kept and looked up: the plate as the vehicles and registrations keep
    it (苏E·12345 → 苏E12345); what an insurer sent that is no plate, upper-cased without spaces."""
    try:
        return normalise_plate(raw)
    except ValueError:
        return raw.replace(" ", "").upper()


def content_hash(facts: dict[str, Any]) -> str:
    """A fingerprint of what the insurer said, so a repeat with equal content changes nothing."""
    canonical = json.dumps(facts, sort_keys=True, default=str, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def outcome(existing_hash: str | None, new_hash: str) -> str:
    if existing_hash is None:
        return "created"
    return "unchanged" if existing_hash == new_hash else "updated"


def premium_total(coverages: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(str(c["premium"])) for c in coverages), Decimal("0.00"))


def dates_problem(start: date, end: date) -> str | None:
    if end <= start:
        return "end_date must be after start_date"
    if (end - start).days > 400:
        return "a motor policy runs for at most a year"
    return None


def one_year_from(start: date) -> date:
    """A motor policy runs a year: to the day before the same date next year (29 Feb → 27 Feb)."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28) - timedelta(days=1)
