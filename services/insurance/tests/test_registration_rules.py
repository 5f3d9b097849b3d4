from datetime import date

import pytest
from insurance.registrations import rules


def test_reg1_a_car_is_registered_within_fifteen_days_of_its_handover() -> None:
    handed = date(2026, 12, 20)
    assert rules.due_on(handed) == date(2027, 1, 4)  # across the year's end
    assert not rules.overdue(date(2027, 1, 4), None, today=date(2027, 1, 4))  # the due day itself is in time
    assert rules.overdue(date(2027, 1, 4), None, today=date(2027, 1, 5))
    assert rules.overdue(date(2027, 1, 4), date(2027, 1, 6), today=date(2027, 2, 1))  # plated late stays late
    assert not rules.overdue(date(2027, 1, 4), date(2027, 1, 3), today=date(2027, 2, 1))


def test_reg2_the_plate_waits_for_every_paper() -> None:
    papers = [(d.code, d.code != "purchase_tax") for d in rules.DOCUMENTS]
    assert rules.missing(papers) == ["purchase_tax"]


def test_reg3_a_financed_car_waits_for_its_mortgage_after_the_plate() -> None:
    assert rules.after_plate(financed=False) == "completed"
    assert rules.after_plate(financed=True) == "registered"
    rules.check_mortgage(date(2026, 12, 22), date(2026, 12, 23), registered_on=date(2026, 12, 21))
    with pytest.raises(ValueError, match="has its plate"):
        rules.check_mortgage(date(2026, 12, 22), date(2026, 12, 23), registered_on=None)
    with pytest.raises(ValueError, match="after the plate"):
        rules.check_mortgage(date(2026, 12, 22), date(2026, 12, 20), registered_on=date(2026, 12, 21))
