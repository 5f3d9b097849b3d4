"""Async SQLAlchemy engine and the unit of work: one transaction per use case.

A use case opens ``async with db.transaction() as session`` and writes its rows, its outbox events
and its due jobs there; all of it commits or none of it does.
"""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Column, MetaData, Row, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from servicekit.errors import NotFound

kit_metadata = MetaData()
"""Tables every service has (outbox, inbox, dead letters, due jobs, idempotency keys)."""

OUTBOX_WRITTEN = "outbox_written"


def async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs (as PostgreSQL tools print them) and use asyncpg."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


class Database:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = async_url(url)
        # No pre-ping: it cost every transaction a round trip (a third of a short one's CPU). A pooled
        # connection that died with the server fails its first statement instead, which SQLAlchemy
        # detects as a disconnect and answers by discarding every older connection in the pool; the
        # request gets 503 with Retry-After (a consumer or job retries) and the next one reconnects.
        self.engine: AsyncEngine = create_async_engine(
            self.url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800, pool_timeout=10
        )
        self._after_outbox: list[Callable[[], None]] = []

    def on_outbox_commit(self, callback: Callable[[], None]) -> None:
        """Called after a transaction that wrote outbox rows commits (wakes the relay)."""
        self._after_outbox.append(callback)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A pooled connection in a transaction, committed when the block ends (rolled back if it raises).
        Every feature writes through SQLAlchemy Core, so the unit of work is a Core connection: an ORM
        session on top cost a tenth more CPU per transaction and gave nothing used (issue #26)."""
        async with self.engine.connect() as conn:
            conn.info.pop(OUTBOX_WRITTEN, None)  # the connection's info outlives a transaction that failed
            async with conn.begin():
                yield conn
            written = conn.info.pop(OUTBOX_WRITTEN, False)
        if written:
            for callback in self._after_outbox:
                callback()

    async def dispose(self) -> None:
        await self.engine.dispose()


async def row_or_404(
    session: AsyncConnection, key: Column[Any], value: Any, what: str, *, lock: bool = False
) -> Row[Any]:
    """The row of ``key``'s table whose ``key`` is ``value``, locked until the transaction ends when
    ``lock`` (``SELECT … FOR UPDATE``: changes to one record are serialised on it); 404 problem
    ``"<what> <value> not found"`` when there is none."""
    query = select(key.table).where(key == value)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise NotFound(f"{what} {value} not found")
    return row


async def rows_by(
    session: AsyncConnection, key: Column[Any], values: Sequence[Any], *, order_by: Column[Any] | None = None
) -> dict[Any, list[Row[Any]]]:
    """The rows of ``key``'s table whose ``key`` is one of ``values``, grouped by it, in one query:
    every value present (``[]`` when it has none), each group in ``order_by`` order. A page of
    records and their lines is two queries, not two per record."""
    grouped: dict[Any, list[Row[Any]]] = {value: [] for value in values}
    if not grouped:
        return grouped
    query = select(key.table).where(key.in_(list(grouped)))
    for row in await session.execute(query if order_by is None else query.order_by(order_by)):
        grouped[row._mapping[key.key]].append(row)
    return grouped
