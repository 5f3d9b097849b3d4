"""Base class of every domain event and the value types they share."""

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from fours_contracts.decimals import Decimals

CENT = Decimal("0.01")
Money = Annotated[Decimal, Decimals(), AfterValidator(lambda d: d.quantize(CENT))]
"""CNY amount, 2 places, 14 digits; serialised as a decimal string so no consumer ever sees a float."""
PositiveMoney = Annotated[Decimal, Decimals(gt=0), AfterValidator(lambda d: d.quantize(CENT))]
"""A price or a payment: a CNY amount above zero."""
NonNegativeMoney = Annotated[Decimal, Decimals(ge=0), AfterValidator(lambda d: d.quantize(CENT))]
"""A fee or a cost that may be nothing: a CNY amount of zero or more."""
AnnualRate = Annotated[Decimal, Decimals(ge=0, le=1, digits=6, places=5)]
"""A yearly interest rate as a fraction: 0.048 for 4.8 %, to 5 places."""

_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_vin(raw: str) -> str:
    """17 characters, no I, O or Q (ISO 3779), in any case; upper-cased and trimmed.

    >>> normalise_vin(" lsvau2180n2183294 ")
    'LSVAU2180N2183294'
    """
    vin = raw.strip().upper()
    if not _VIN.match(vin):
        raise ValueError("a VIN has 17 characters from A-Z (no I, O, Q) and 0-9")
    return vin


class InvalidMobile(ValueError):
    pass


def normalise_mobile(raw: str) -> str:
    """LEAD-2: an 11-digit mainland mobile, ``+86``/``0086``/``86`` and separators stripped.

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


Vin = Annotated[
    str,
    Field(
        pattern=r"^\s*[A-HJ-NPR-Za-hj-npr-z0-9]{17}\s*$",
        description="Vehicle identification number: 17 characters, no I, O or Q; any case in, upper case out",
        examples=["LSVAU2180N2183294"],
    ),
    AfterValidator(normalise_vin),
]
"""A VIN as every FourS API and event takes it: accepted in any case, kept upper-case."""

VinFilter = Annotated[
    str,
    Field(min_length=1, max_length=17, description="A VIN to filter by, in any case", examples=["LSVAU2180N2183294"]),
    AfterValidator(lambda raw: raw.strip().upper()),
]
"""A VIN as a search term: matched upper-case against the stored VINs; one that is no VIN finds nothing."""

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(rf"^[{_PROVINCES}][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{{5,6}}|[A-HJ-NP-Z0-9]{{4}}[挂学警港澳])$")
_PLATE_SEPARATORS = re.compile(r"[\s·•・.．\-]")


def normalise_plate(raw: str) -> str:
    """A mainland number plate (GA 36): the province's character, the issuing office's letter, then
    five characters (six on a new-energy car; four and 挂/学/警/港/澳 on a special one), no I or O;
    written with or without the dot or spaces, in any case; kept upper-case without them.

    >>> normalise_plate("粤b·d12345")
    '粤BD12345'
    """
    plate = _PLATE_SEPARATORS.sub("", raw).upper()
    if not _PLATE.match(plate):
        raise ValueError("a plate is a province's character, a letter and five or six letters or digits (粤B·12345)")
    return plate


_SEP = r"[\s·•・.．\-]?"
_PLATE_CHAR = "[A-HJ-NP-Za-hj-np-z0-9]"
PLATE_TEXT = (
    f"^{_SEP}[{_PROVINCES}]{_SEP}[A-HJ-NP-Za-hj-np-z](?:{_SEP}{_PLATE_CHAR}){{4}}"
    f"(?:(?:{_SEP}{_PLATE_CHAR}){{1,2}}|{_SEP}[挂学警港澳]){_SEP}$"
)
"""What ``normalise_plate`` reads as a plate: its characters in any case, with dots, dashes and
spaces anywhere between them."""

Plate = Annotated[
    str,
    Field(
        min_length=7,
        max_length=16,
        pattern=PLATE_TEXT,
        description="Number plate (车牌号): province, office letter and 5 or 6 characters; dots and spaces dropped",
        examples=["粤B·12345"],
    ),
    AfterValidator(normalise_plate),
]
"""A plate as every FourS API takes it: 粤b 12345, 粤B·12345 and 粤B12345 are the same car."""

MOBILE_TEXT = r"^[\s\-().]*(?:(?:\+|00)?86[\s\-().]*)?1[3-9](?:[\s\-().]*\d){9}[\s\-().]*$"
"""What ``normalise_mobile`` reads as a mobile: an optional 86 prefix, then 1[3-9] and 9 digits, with
separators anywhere between them."""

Mobile = Annotated[
    str,
    Field(
        min_length=11,
        max_length=24,
        pattern=MOBILE_TEXT,
        description="Mainland mobile number; +86 and separators are stripped to 11 digits (LEAD-2)",
        examples=["+86 138 0013 8000"],
    ),
    AfterValidator(normalise_mobile),
]
"""A mainland mobile as every FourS API and event takes it: normalised to its 11 digits."""


class DomainEvent(BaseModel):
    """Data of one CloudEvent.

    Consumers ignore unknown fields, so a producer may add optional fields within a version;
    removing a field or adding a required one needs a new versioned type.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    producer: ClassVar[str]
    """Service that owns and publishes the event; its topic is ``<producer>.events``."""

    @classmethod
    def topic(cls) -> str:
        return f"{cls.producer}.events"

    def subject(self) -> str:
        """Aggregate id: the Kafka key, so one aggregate's events stay in order."""
        raise NotImplementedError


def _iso_text(pattern: str, what: str) -> object:
    compiled = re.compile(pattern)

    def check(raw: object) -> object:
        if isinstance(raw, str) and not compiled.match(raw):
            raise ValueError(
                f"{what} in ISO 8601 ({'YYYY-MM-DD' if what == 'a date' else 'YYYY-MM-DDThh:mm:ss+08:00'})"
            )
        if isinstance(raw, int | float):
            raise ValueError(f"{what} in ISO 8601, not a number")
        return raw

    return check


Day = Annotated[date, BeforeValidator(_iso_text(r"^\d{4}-\d{2}-\d{2}$", "a date"))]
"""A date as an API takes it: ``YYYY-MM-DD`` only (pydantic alone would read ``0`` as 1970-01-01)."""

Instant = Annotated[AwareDatetime, BeforeValidator(_iso_text(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", "an instant"))]
"""An instant as an API takes it: an ISO 8601 date and time with its offset (never a number of seconds)."""


def _whole(raw: object) -> object:
    if isinstance(raw, bool | str):
        raise ValueError("a whole number, not text or true/false")
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


Integer = Annotated[int, BeforeValidator(_whole)]
"""A whole number as an API takes it: JSON's ``6`` or ``6.0`` (one number to JSON Schema), never ``"6"`` or
``true``, which pydantic alone would read as 6 and 1."""
