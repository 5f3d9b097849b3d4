from decimal import Decimal

import pytest
from fours_contracts import InvalidMobile, normalise_mobile, normalise_vin
from leads.deliveries.rules import accessories_of, can_cancel, channel_of


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


def test_a_sale_s_channel_a_key_account_first_then_a_web_lead_then_the_showroom() -> None:
    assert channel_of(key_account=True, web_lead=True) == "key_account"
    assert channel_of(key_account=False, web_lead=True) == "online"
    assert channel_of(key_account=False, web_lead=False) == "showroom"


def test_accessories_add_up_price_and_cost_and_none_chosen_is_none() -> None:
    chosen = [{"price": "3000.00", "cost": "1200.00"}, {"price": 500, "cost": "100.50"}]
    assert accessories_of(chosen) == {"price": Decimal("3500.00"), "cost": Decimal("1300.50")}
    assert accessories_of([]) is None
