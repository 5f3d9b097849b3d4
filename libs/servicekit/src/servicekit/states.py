"""The one way a record moves through its states: a table of allowed moves per state and a refusal
that names the moves that are allowed. Pure (rules modules use it); the API answers the refusal with
``servicekit.errors.invalid_transition`` (409 ``invalid-transition`` with ``allowed``)."""

from collections.abc import Iterable, Mapping


class InvalidMove(ValueError):
    def __init__(self, what: str, state: str, to: str, allowed: Iterable[str]) -> None:
        self.allowed = sorted(allowed)
        super().__init__(f"a {what} that is {state} cannot move to {to}; allowed: {', '.join(self.allowed) or 'none'}")


def check_move(moves: Mapping[str, frozenset[str]], state: str, to: str, *, what: str) -> None:
    """Refuse ``to`` unless the table allows it from ``state`` (pure: rules modules call it)."""
    if to not in moves.get(state, frozenset()):
        raise InvalidMove(what, state, to, moves.get(state, frozenset()))
