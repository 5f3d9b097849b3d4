"""Cursor pagination: lists return ``{"items": [...], "next_cursor": ...}``; the cursor is opaque to
clients (the sort key of the last item, base64-encoded)."""

import base64
import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from servicekit.errors import Unprocessable, field_error

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except ValueError as exc:
        raise Unprocessable(
            "cursor is not valid", errors=[field_error("cursor", "not a cursor from this API")]
        ) from exc
    if not isinstance(value, list):
        raise Unprocessable("cursor is not valid", errors=[field_error("cursor", "not a cursor from this API")])
    return value


def page_of(rows: list[Any], limit: int, key: Any) -> tuple[list[Any], str | None]:
    """Given up to ``limit + 1`` rows, the page and the cursor of the next one."""
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(key(rows[-1]))
    return rows, None
