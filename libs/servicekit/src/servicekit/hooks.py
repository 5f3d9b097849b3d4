"""Hooks: how a feature lets other features of its service react to what it does (a customer merged,
a car handed over, a policy recorded) without importing them. The feature that fires a hook owns it;
the service's ``main.py`` connects the reactions, which run in order in the firing transaction."""

from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec

P = ParamSpec("P")


class Hook(Generic[P]):
    def __init__(self, what: str) -> None:
        self.what = what
        self._reactions: list[Callable[P, Awaitable[Any]]] = []

    def connect(self, reaction: Callable[P, Awaitable[Any]]) -> None:
        if reaction not in self._reactions:
            self._reactions.append(reaction)

    async def fire(self, *args: P.args, **kwargs: P.kwargs) -> list[Any]:
        """Run every reaction in order; what each returned, in that order."""
        return [await reaction(*args, **kwargs) for reaction in self._reactions]

    def __repr__(self) -> str:
        return f"Hook({self.what!r}, {len(self._reactions)} reactions)"
