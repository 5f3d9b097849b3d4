"""Decimals as FourS APIs take them: a JSON number or a decimal string, and a JSON Schema that says
exactly which, so a client generated from the schema never sends a value the service refuses.

Pydantic checks ``max_digits`` and ``decimal_places`` but leaves them out of the schema, and gives the
string form no pattern at all: ``""`` and ``"abc"`` were schema-valid amounts. ``Decimals`` carries
the constraints once, applies them, and writes both forms into the schema: the number with its
bounds and ``multipleOf``, the string with a pattern of the same values (``decimal_pattern``).

    price: Annotated[Decimal, Decimals(gt=0)]                  # CNY, 2 places, 14 digits
    score: Annotated[Decimal, Decimals(ge=0, le=100, digits=5)]

A float is read as the decimal it stands for: ``57 * 0.01`` is ``0.5700000000000001`` in binary and is
taken as ``0.57``; a float further from a decimal of the allowed places than rounding explains is refused."""

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import CoreSchema, core_schema


def _below(limit: int, *, positive: bool) -> list[str]:
    """Regex alternatives for the integers 0 (or 1, if ``positive``) up to ``limit - 1``, as digits."""
    text = str(limit)
    size = len(text)
    alternatives = []
    if size > 1:
        alternatives.append(rf"[1-9]\d{{0,{size - 2}}}" if positive else rf"\d{{1,{size - 1}}}")
    for i, digit in enumerate(text):
        low = 1 if (i == 0 and (size > 1 or positive)) else 0
        if int(digit) - 1 >= low:
            rest = size - i - 1
            alternatives.append(text[:i] + f"[{low}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    return alternatives


def decimal_pattern(
    *, ge: int | None = None, gt: int | None = None, le: int | None = None, digits: int = 14, places: int = 2
) -> str:
    """A regular expression matching decimal strings within the bounds, at most ``digits`` digits of
    which ``places`` after the point: every string it matches is accepted (it may be stricter than the
    service: no exponent, no spaces, no leading ``+``). Lower bounds are 0 or none; ``le`` is whole:
    ``decimal_pattern(ge=0, le=100, digits=5)`` is ``^(?:(?:\\d{1,2})(?:\\.\\d{1,2})?|100(?:\\.0{1,2})?)$``."""
    if (ge, gt) not in {(None, None), (0, None), (None, 0)}:
        raise ValueError("a lower bound of 0 (ge or gt) or none")
    whole = digits - places
    if whole < 1 and le is None:
        raise ValueError("digits must leave room before the point")
    positive = gt == 0
    sign = "" if ge == 0 or gt == 0 else "-?"
    fraction = rf"(?:\.\d{{1,{places}}})?" if places else ""
    limit = 10**whole if le is None or le >= 10**whole else le
    exact = None if limit == 10**whole else f"{limit}" + (rf"(?:\.0{{1,{places}}})?" if places else "")
    integers = _below(limit, positive=positive)
    alternatives = [f"(?:{'|'.join(integers)}){fraction}"] if integers else []
    if positive and places:  # zero before the point, something after it
        nonzero = "|".join(rf"0{{{k}}}[1-9]\d{{0,{places - 1 - k}}}" for k in range(places))
        alternatives.append(rf"0\.(?:{nonzero})")
    if exact:
        alternatives.append(exact)
    pattern = f"^{sign}(?:{'|'.join(alternatives)})$"
    for clumsy, tidy in ((r"\d{0,0}", ""), ("0{0}", ""), ("{1,1}", ""), ("{1}", "")):
        pattern = pattern.replace(clumsy, tidy)
    return re.sub(r"\[(\d)-\1\]", r"\1", pattern)


@dataclass(frozen=True)
class Decimals:
    """The constraints of a decimal field, applied and written into the JSON Schema (module doc)."""

    ge: int | None = None
    gt: int | None = None
    le: int | None = None
    digits: int = 14
    places: int = 2

    def _from_float(self, value: Any) -> Any:
        """A float within a few units in the last place of a decimal of ``places`` places is that decimal
        (``57 * 0.01`` is ``0.5700000000000001``); any other float is left for the places check to refuse."""
        if isinstance(value, float) and math.isfinite(value):
            rounded = round(value, self.places)
            if abs(value - rounded) <= 4 * math.ulp(value):
                return Decimal(f"{rounded:.{self.places}f}")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        checked = core_schema.decimal_schema(
            ge=None if self.ge is None else Decimal(self.ge),
            gt=None if self.gt is None else Decimal(self.gt),
            le=None if self.le is None else Decimal(self.le),
            max_digits=self.digits,
            decimal_places=self.places,
            allow_inf_nan=False,
        )
        return core_schema.no_info_before_validator_function(self._from_float, checked)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        text = {"type": "string", "pattern": self.pattern()}
        if handler.mode == "serialization":  # what an event or a response carries: the decimal as text
            return text
        largest = Decimal(10 ** (self.digits - self.places)) - Decimal(10) ** -self.places
        number: dict[str, Any] = {"type": "number"}
        if self.ge is not None:
            number["minimum"] = self.ge
        elif self.gt is not None:
            number["exclusiveMinimum"] = self.gt
        else:
            number["minimum"] = -largest
        number["maximum"] = min(largest, Decimal(self.le)) if self.le is not None else largest
        number["multipleOf"] = Decimal(10) ** -self.places
        for key in ("minimum", "maximum", "multipleOf"):
            if isinstance(number.get(key), Decimal):
                number[key] = int(number[key]) if number[key] == number[key].to_integral() else float(number[key])
        return {"anyOf": [number, text]}

    def pattern(self) -> str:
        return decimal_pattern(ge=self.ge, gt=self.gt, le=self.le, digits=self.digits, places=self.places)
