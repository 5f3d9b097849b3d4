"""Who did what, when, through which user or API key: every change that passes the gateway."""

import asyncio
from datetime import UTC, datetime
from typing import Any

from servicekit.kit import Kit
from servicekit.logs import get_logger
from servicekit.pagination import decode_cursor, page_of
from sqlalchemy import select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.audit.tables import audit_log

AUDITED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_log = get_logger("audit")


class AuditWriter:
    """Writes the audit records off the request path, in batches: the records of a burst of changes
    go in one transaction (within ``DELAY`` seconds), not a transaction each. What is not yet written
    when the gateway stops is written by ``close``; what the database refuses is logged loudly."""

    DELAY = 0.05
    BATCH = 500

    def __init__(self, kit: Kit) -> None:
        self.kit = kit
        self.entries: list[dict[str, Any]] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)
        if self._task is None:
            self._task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self.entries:
                await asyncio.sleep(self.DELAY)  # let the burst gather
                await self._write_some()
        finally:
            self._task = None

    async def _write_some(self) -> None:
        batch, self.entries = self.entries[: self.BATCH], self.entries[self.BATCH :]
        try:
            async with self.kit.db.transaction() as session:
                await session.execute(audit_log.insert(), batch)
        except Exception as exc:  # the changes themselves are done; lost audit lines are logged loudly
            for entry in batch:
                _log.error("audit record lost", error=repr(exc)[:300], **entry)

    async def close(self) -> None:
        if self._task is not None:  # let it finish: cancelled mid-write, it would drop the batch it took
            await self._task
        while self.entries:
            await self._write_some()


async def start_writer(kit: Kit) -> None:
    kit.extras["audit"] = AuditWriter(kit)


async def stop_writer(kit: Kit) -> None:
    await kit.extras["audit"].close()


class AuditMiddleware:
    """Records each change after its response is sent (the kit's ``AuditWriter`` writes it)."""

    def __init__(self, app: ASGIApp, kit: Kit) -> None:
        self.app = app
        self.kit = kit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in AUDITED_METHODS or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            state = scope.get("state", {})
            principal = state.get("principal")
            self.kit.extras["audit"].add(
                {
                    "at": datetime.now(UTC),  # when it was done, not when its batch is written
                    "actor": principal.username if principal else "anonymous",
                    "actor_kind": "api_key" if principal and principal.subject.startswith("key:") else "user",
                    "role": principal.role if principal else None,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "request_id": state.get("request_id"),
                }
            )


async def search(
    kit: Kit, *, actor: str | None, since: datetime | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit + 1)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    if since:
        query = query.where(audit_log.c.at >= since)
    after = decode_cursor(cursor)
    if after:
        query = query.where(audit_log.c.id < int(after[0]))
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    page, next_cursor = page_of(list(rows), limit, lambda r: [r.id])
    return [dict(r._mapping) for r in page], next_cursor
