"""Who did what, when, through which user or API key: every change that passes the gateway."""

import asyncio
from datetime import datetime
from typing import Any

from servicekit.kit import Kit
from servicekit.logs import get_logger
from servicekit.pagination import decode_cursor, page_of
from sqlalchemy import select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.audit.tables import audit_log

AUDITED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_log = get_logger("audit")


class AuditMiddleware:
    """Records each change after its response is sent; the record is written off the request path."""

    def __init__(self, app: ASGIApp, kit: Kit) -> None:
        self.app = app
        self.kit = kit
        self.pending: set[asyncio.Task[None]] = set()

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
            entry = {
                "actor": principal.username if principal else "anonymous",
                "actor_kind": "api_key" if principal and principal.subject.startswith("key:") else "user",
                "role": principal.role if principal else None,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "request_id": state.get("request_id"),
            }
            task = asyncio.create_task(self._write(entry))
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)

    async def _write(self, entry: dict[str, Any]) -> None:
        try:
            async with self.kit.db.transaction() as session:
                await session.execute(audit_log.insert().values(**entry))
        except Exception as exc:  # the change itself is done; a lost audit line is logged loudly
            _log.error("audit record lost", error=repr(exc)[:300], **entry)


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
