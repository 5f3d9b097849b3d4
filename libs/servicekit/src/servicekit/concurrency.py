"""Optimistic concurrency on mutable aggregates: a ``version`` column, ``If-Match`` from the client."""

from typing import Annotated

from fastapi import Header

from servicekit.errors import PreconditionFailed

IfMatch = Annotated[
    str | None,
    Header(
        pattern=r'^\s*(W/)?"?[0-9]{1,9}"?\s*$',
        description='the version you last read (its ETag, e.g. "3"); 412 if it has moved on since',
        examples=['"1"'],
    ),
]
"""The ``If-Match`` header of a change to a versioned aggregate: left out, the change applies to
whatever version is current."""


def check_version(current: int, if_match: str | None) -> None:
    """412 when the client changed an aggregate it last saw at another version (``If-Match: "3"``)."""
    if if_match is None:
        return
    wanted = if_match.strip().removeprefix("W/").strip('"')
    if wanted != str(current):
        raise PreconditionFailed(
            f"the resource is at version {current}, not {wanted}; reload it and try again", current_version=current
        )
