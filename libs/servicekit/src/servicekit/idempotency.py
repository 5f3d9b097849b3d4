"""``Idempotency-Key`` on POST: the first response is stored in the same transaction as the change,
and a repeat of the same request returns it; the same key with another request is a 422."""

import hashlib
import json
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from servicekit.errors import Unprocessable
from servicekit.tables import idempotency_keys


def request_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


async def claim(session: AsyncConnection, scope: str, key: str, body: Any) -> tuple[int, Any] | None:
    """None when this request is the first with the key (go on, then ``remember``); else the stored
    (status, body). A concurrent first request holds the row until it commits, so we wait for it."""
    digest = request_hash(body)
    inserted = await session.execute(
        pg_insert(idempotency_keys)
        .values(scope=scope, key=key, request_hash=digest)
        .on_conflict_do_nothing()
        .returning(idempotency_keys.c.key)
    )
    if inserted.first() is not None:
        return None
    row = (
        await session.execute(
            select(idempotency_keys).where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        )
    ).one()
    if row.request_hash != digest:
        raise Unprocessable("Idempotency-Key was already used with a different request", code="idempotency-key-reused")
    return row.status_code, row.body


async def remember(session: AsyncConnection, scope: str, key: str, status: int, body: Any) -> None:
    await session.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        .values(status_code=status, body=to_jsonable_python(body))
    )
