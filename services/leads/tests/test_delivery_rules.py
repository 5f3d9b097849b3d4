import pytest
from fours_contracts import InvalidMobile, normalise_mobile, normalise_vin
from leads.deliveries.rules import can_cancel


@pytest.mark.parametrize(
    "raw",
    ["13800138000", "+86 138 0013 8000", "+86-138-0013-8000", "0086 13800138000", "86 13800138000", "(138)00138000"],
)
def test_lead2_mainland_mobiles_normalise_to_eleven_digits(raw: str) -> None:
    assert normalise_mobile(raw) == "13800138000"


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "+1 415 555 0100", "abc", ""])
def test_non_mainland_mobile_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidMobile):
        normalise_mobile(raw)


def test_vin_is_upper_cased_and_checked() -> None:
    assert normalise_vin(" lsvau2180n2183294 ") == "LSVAU2180N2183294"
    for bad in ("LSVAU2180N218329", "LSVAU2180N2183294X", "LSVAU2180N21832O4", "LSVAU2180N21832I4"):
        with pytest.raises(ValueError):
            normalise_vin(bad)


def test_only_a_delivered_sale_can_be_cancelled() -> None:
    assert can_cancel("delivered") and not can_cancel("cancelled")
