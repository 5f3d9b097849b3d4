import pytest
from servicekit.errors import invalid_transition
from servicekit.states import InvalidMove, check_move

MOVES = {"draft": frozenset({"submitted"}), "submitted": frozenset({"accepted", "rejected"}), "paid": frozenset()}


def test_an_allowed_move_passes_and_any_other_names_the_allowed_ones() -> None:
    check_move(MOVES, "draft", "submitted", what="claim")
    with pytest.raises(InvalidMove) as refusal:
        check_move(MOVES, "submitted", "paid", what="claim")
    assert refusal.value.allowed == ["accepted", "rejected"]
    assert str(refusal.value) == "a claim that is submitted cannot move to paid; allowed: accepted, rejected"
    answer = invalid_transition(refusal.value)
    assert (answer.status, answer.code) == (409, "invalid-transition")
    assert answer.extra["allowed"] == ["accepted", "rejected"]


def test_a_final_state_allows_nothing() -> None:
    with pytest.raises(InvalidMove, match="allowed: none"):
        check_move(MOVES, "paid", "draft", what="claim")
