"""LEAD-6: slots and what a done test drive needs."""

from datetime import date, datetime

import pytest
from leads.test_drives import rules
from servicekit.calendar import SHANGHAI


def test_slots_are_half_hours_within_opening_hours() -> None:
    assert rules.check_slot(datetime(2026, 11, 25, 8, 30, tzinfo=SHANGHAI)).hour == 8
    assert rules.check_slot(datetime(2026, 11, 25, 17, 30, tzinfo=SHANGHAI)).minute == 30
    for bad in ((8, 0), (10, 15), (17, 45), (18, 0), (20, 0)):
        with pytest.raises(rules.BadSlot):
            rules.check_slot(datetime(2026, 11, 25, *bad, tzinfo=SHANGHAI))


def test_a_test_drive_is_done_only_with_the_signed_agreement_and_a_route() -> None:
    rules.check_done(True, "city")
    with pytest.raises(ValueError, match="signed agreement"):
        rules.check_done(False, "city")
    with pytest.raises(ValueError, match="route"):
        rules.check_done(True, "racetrack")


def test_a_day_has_nineteen_half_hour_slots_from_opening_to_the_last_that_ends_at_closing() -> None:
    slots = rules.slots_of(date(2026, 11, 25))
    assert len(slots) == 19  # 08:30 … 17:30
    assert (slots[0].hour, slots[0].minute, slots[-1].hour, slots[-1].minute) == (8, 30, 17, 30)
    assert all(rules.check_slot(slot) == slot for slot in slots)
    assert rules.slots_of(date(2026, 11, 25), minutes=60)[-1].hour == 16  # 16:30–17:30; 17:30 would overrun
