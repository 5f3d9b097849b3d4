"""Decimals: what the schema admits, the service accepts, in both forms."""

import re
from decimal import Decimal
from typing import Annotated

import pytest
from fours_contracts.decimals import Decimals, decimal_pattern
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

SHAPES = [
    Decimals(),
    Decimals(ge=0),
    Decimals(gt=0),
    Decimals(ge=0, le=100, digits=5),
    Decimals(ge=0, le=31, digits=4, places=1),
    Decimals(gt=0, le=31, digits=4, places=1),
    Decimals(ge=0, le=1, digits=6, places=4),
    Decimals(gt=0, le=10_000, digits=10),
    Decimals(ge=0, places=0),
]


def _model(shape: Decimals) -> type[BaseModel]:
    class Figure(BaseModel):
        value: Annotated[Decimal, shape]

    return Figure


def _within(shape: Decimals, value: Decimal) -> bool:
    whole = 10 ** (shape.digits - shape.places)
    return (
        (shape.ge is None or value >= shape.ge)
        and (shape.gt is None or value > shape.gt)
        and (shape.le is None or value <= shape.le)
        and -whole < value < whole
        and value == value.quantize(Decimal(10) ** -shape.places)
    )


@pytest.mark.parametrize("shape", SHAPES, ids=repr)
@given(data=st.data())
def test_every_string_the_pattern_admits_is_accepted(shape: Decimals, data: st.DataObject) -> None:
    text = data.draw(st.from_regex(shape.pattern(), fullmatch=True))
    assert _within(shape, Decimal(text)), text
    assert _model(shape)(value=text).value == Decimal(text)


@pytest.mark.parametrize("shape", SHAPES, ids=repr)
@given(data=st.data())
def test_every_decimal_the_service_accepts_matches_the_pattern(shape: Decimals, data: st.DataObject) -> None:
    """The pattern is not narrower than the bounds: the canonical text of every accepted value matches."""
    places = Decimal(10) ** -shape.places
    value = (
        abs(drawn)
        if (drawn := data.draw(st.decimals(-(10**12), 10**12, places=shape.places)).quantize(places)) == 0
        else drawn
    )
    pattern = decimal_pattern(ge=shape.ge, gt=shape.gt, le=shape.le, digits=shape.digits, places=shape.places)
    assert bool(re.fullmatch(pattern, str(value))) == _within(shape, value), value


def test_the_schema_states_both_forms() -> None:
    schema = _model(Decimals(gt=0, le=100, digits=5))
    value = schema.model_json_schema()["properties"]["value"]
    number, text = value["anyOf"]
    assert number == {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "multipleOf": 0.01}
    assert text["type"] == "string" and re.fullmatch(text["pattern"], "99.99") and not re.fullmatch(text["pattern"], "")


def test_a_float_is_the_decimal_it_was_written_as() -> None:
    money = _model(Decimals())
    assert money(value=0.5700000000000001).value == Decimal("0.57")
    assert money(value=12).value == Decimal(12)
    assert money(value=57 * 0.01).value == Decimal("0.57")
    for refused in (1.234, 456006150381.9386, "", "abc", float("nan"), "1.234", 10.0**13):
        with pytest.raises(ValidationError):
            money(value=refused)


def test_a_lower_bound_other_than_zero_is_refused_where_the_field_is_declared() -> None:
    with pytest.raises(ValueError, match="lower bound"):
        decimal_pattern(ge=1)
