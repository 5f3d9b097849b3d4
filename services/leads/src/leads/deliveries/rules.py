"""Facts of a handover (LEAD-8/9) that hold whatever the storage."""

import re

_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


def normalise_vin(raw: str) -> str:
    """17 characters, no I, O or Q (ISO 3779); upper-cased and trimmed."""
    vin = raw.strip().upper()
    if not _VIN.match(vin):
        raise ValueError("a VIN has 17 characters from A-Z (no I, O, Q) and 0-9")
    return vin


def can_cancel(status: str) -> bool:
    return status == "delivered"
