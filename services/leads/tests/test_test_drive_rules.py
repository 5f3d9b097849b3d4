"""LEAD-6: slots and what a done test drive needs."""

from datetime import datetime

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
