"""Optimistic concurrency on mutable aggregates: a ``version`` column, ``If-Match`` from the client."""

from servicekit.errors import PreconditionFailed


def check_version(current: int, if_match: str | None) -> None:
    """412 when the client changed an aggregate it last saw at another version (``If-Match: "3"``)."""
    if if_match is None:
        return
    wanted = if_match.strip().removeprefix("W/").strip('"')
    if wanted != str(current):
        raise PreconditionFailed(
            f"the resource is at version {current}, not {wanted}; reload it and try again", current_version=current
        )
