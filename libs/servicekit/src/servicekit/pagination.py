"""Cursor pagination: lists return ``{"items": [...], "next_cursor": ...}``; the cursor is opaque to
clients (the sort key of the last item, base64-encoded)."""

import base64
import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, tuple_

from servicekit.errors import Unprocessable, field_error

T = TypeVar("T")

Cursor = Annotated[
    str | None,
    Query(
        pattern=r"^[A-Za-z0-9_-]*$",
        max_length=500,
        description="the next_cursor of the page before, as it was given; left out, the first page",
    ),
]
"""The ``cursor`` query parameter of every list: opaque, base64url, only ever one this API handed out."""


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
            "cursor is not valid", code="invalid-cursor", errors=[field_error("cursor", "not a cursor from this API")]
        ) from exc
    if not isinstance(value, list):
        raise Unprocessable(
            "cursor is not valid", code="invalid-cursor", errors=[field_error("cursor", "not a cursor from this API")]
        )
    return value


def page_of(rows: list[Any], limit: int, key: Any) -> tuple[list[Any], str | None]:
    """Given up to ``limit + 1`` rows, the page and the cursor of the next one."""
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(key(rows[-1]))
    return rows, None


def keyset(
    query: Select[Any],
    columns: Sequence[ColumnElement[Any]],
    cursor: str | None,
    limit: int,
    *,
    descending: bool = False,
) -> Select[Any]:
    """``query`` ordered by ``columns`` (the last one unique), resumed after ``cursor``, fetching one
    row more than a page so ``keyset_page`` knows whether another follows."""
    after = decode_cursor(cursor)
    if after is not None:
        if len(after) != len(columns):
            raise Unprocessable(
                "cursor is not valid",
                code="invalid-cursor",
                errors=[field_error("cursor", "not a cursor from this API")],
            )
        values = tuple(_load(column, value) for column, value in zip(columns, after, strict=True))
        key = tuple_(*columns)
        query = query.where(key < values if descending else key > values)
    return query.order_by(*(column.desc() if descending else column for column in columns)).limit(limit + 1)


def keyset_page(rows: Sequence[Any], limit: int, columns: Sequence[ColumnElement[Any]]) -> tuple[list[Any], str | None]:
    """The page of rows ``keyset`` fetched, and the cursor of the next one."""
    names = [column.key for column in columns]
    return page_of(list(rows), limit, lambda row: [_dump(row._mapping[name]) for name in names])


def _load(column: ColumnElement[Any], value: Any) -> Any:
    try:
        kind = column.type.python_type
        if kind in (datetime, date):
            return kind.fromisoformat(str(value))
        return kind(value)
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise Unprocessable(
            "cursor is not valid", code="invalid-cursor", errors=[field_error("cursor", "not a cursor from this API")]
        ) from exc


def _dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


async def fetch_page(
    session: Any,
    query: Select[Any],
    columns: Sequence[ColumnElement[Any]],
    cursor: str | None,
    limit: int,
    *,
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """A page of ``query`` in ``columns`` order after ``cursor``, and the cursor of the next one:
    ``keyset`` run in ``session`` and cut by ``keyset_page``."""
    rows = (await session.execute(keyset(query, columns, cursor, limit, descending=descending))).all()
    return keyset_page(rows, limit, columns)


async def fetch_views(
    session: Any,
    query: Select[Any],
    columns: Sequence[ColumnElement[Any]],
    cursor: str | None,
    limit: int,
    views: Callable[[Any, list[Any]], Awaitable[list[T]]],
    *,
    descending: bool = False,
) -> tuple[list[T], str | None]:
    """A page of records: ``query`` selects their ``id`` (and the ``columns`` it is ordered by), and
    ``views`` shows the page's records in one call, in the page's order; with the next page's cursor."""
    page, next_cursor = await fetch_page(session, query, columns, cursor, limit, descending=descending)
    return await views(session, [row.id for row in page]), next_cursor
