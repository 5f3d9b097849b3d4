from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from aftersales.appointments.rules import Capacity, NotASlot, check_slot, refusal, slots
from aftersales.home_visits.rules import draw, how_many
from aftersales.segments.rules import History, next_nightly_run, segment_of

CST = timezone(timedelta(hours=8))
TODAY = date(2026, 11, 25)


def test_a_day_has_nine_one_hour_slots_from_half_past_eight() -> None:
    day = slots(TODAY, Capacity())
    assert len(day) == 9 and day[0].time() == time(8, 30) and day[-1].time() == time(16, 30)


def test_only_slot_starts_within_opening_hours_are_bookable() -> None:
    assert check_slot(datetime(2026, 11, 26, 1, 30, tzinfo=UTC), Capacity()).time() == time(9, 30)
    for bad in (datetime(2026, 11, 26, 9, 0, tzinfo=CST), datetime(2026, 11, 26, 17, 30, tzinfo=CST)):
        with pytest.raises(NotASlot):
            check_slot(bad, Capacity())


def test_no_overbooking_of_bays_or_advisors() -> None:
    cap = Capacity(bays=3, per_advisor=1)
    assert refusal([], "A1", cap) is None
    assert refusal(["A1"], "A1", cap) == "advisor_busy"
    assert refusal(["A2", "A3"], "A1", cap) is None
    assert refusal(["A2", "A3", "A4"], "A1", cap) == "bays_full"
    assert refusal(["A1"], "A1", Capacity(per_advisor=2)) is None


@pytest.mark.parametrize(
    ("history", "segment"),
    [
        (History(2, date(2026, 10, 1), date(2024, 5, 1), 0), "loyal"),
        (History(1, date(2026, 10, 1), date(2024, 5, 1), 0), "ordinary"),
        (History(0, None, date(2026, 9, 1), 0), "ordinary"),
        (History(0, date(2025, 11, 25), date(2023, 1, 1), 0), "lost"),
        (History(0, None, date(2025, 11, 1), 0), "lost"),
        (History(3, date(2026, 10, 1), None, 2), "lost"),
    ],
)
def test_as7_segments(history: History, segment: str) -> None:
    assert segment_of(history, TODAY) == segment


def test_the_nightly_run_is_at_two_in_shanghai() -> None:
    assert next_nightly_run(datetime(2026, 11, 25, 17, 0, tzinfo=UTC)) == datetime(2026, 11, 26, 2, 0, tzinfo=CST)
    assert next_nightly_run(datetime(2026, 11, 25, 19, 0, tzinfo=UTC)) == datetime(2026, 11, 27, 2, 0, tzinfo=CST)


def test_home_visit_draw_is_a_stable_share_per_month() -> None:
    vins = [f"V{n:016d}" for n in range(200)]
    first = draw(vins, "2026-12", 0.05)
    assert len(first) == 10 == how_many(0.05, 200)
    assert draw(list(reversed(vins)), "2026-12", 0.05) == first
    assert draw(vins, "2027-01", 0.05) != first
    assert how_many(0.01, 7) == 1 and how_many(0.5, 0) == 0
