"""LEAD-2: one customer per person, matched on the normalised mainland mobile number."""

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-().]")


class InvalidMobile(ValueError):
    pass


def normalise_mobile(raw: str) -> str:
    """11-digit mainland mobile: ``+86``/``0086``/``86`` and separators stripped.

    >>> normalise_mobile("+86 138-0013-8000")
    '13800138000'
    """
    digits = _SEPARATORS.sub("", raw.strip())
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.match(digits):
        raise InvalidMobile(f"{raw!r} is not a mainland mobile number (11 digits starting 13-19)")
    return digits
