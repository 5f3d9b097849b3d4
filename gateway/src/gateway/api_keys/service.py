from datetime import UTC, datetime, timedelta
from typing import Any

from servicekit.auth import Principal
from servicekit.errors import NotFound, Unauthorized
from servicekit.kit import Kit
from sqlalchemy import select, update

from gateway.api_keys import rules
from gateway.api_keys.tables import api_keys

_PUBLIC = (
    api_keys.c.id,
    api_keys.c.name,
    api_keys.c.partner,
    api_keys.c.scopes,
    api_keys.c.rate_per_minute,
    api_keys.c.created_at,
    api_keys.c.last_used_at,
    api_keys.c.revoked_at,
)
TOUCH_EVERY = timedelta(seconds=60)


async def create(kit: Kit, facts: dict[str, Any], *, by: str) -> dict[str, Any]:
    key_id, key = rules.new_key()
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                api_keys.insert()
                .values(id=key_id, key_hash=rules.digest(key), created_by=by, **facts)
                .returning(*_PUBLIC)
            )
        ).one()
    return {**row._mapping, "key": key}


async def listing(kit: Kit) -> list[dict[str, Any]]:
    async with kit.db.transaction() as session:
        rows = (await session.execute(select(*_PUBLIC).order_by(api_keys.c.created_at))).all()
    return [dict(r._mapping) for r in rows]


async def revoke(kit: Kit, key_id: str) -> None:
    async with kit.db.transaction() as session:
        done = await session.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
            .returning(api_keys.c.id)
        )
        if done.first() is None:
            raise NotFound(f"no active API key {key_id}")


async def authenticate(kit: Kit, key: str) -> tuple[Principal, int | None]:
    """The integration behind an ``X-API-Key`` (401 for unknown or revoked keys) and its rate limit."""
    key_id = rules.key_id_of(key)
    if key_id is None:
        raise Unauthorized("malformed API key", code="invalid-api-key")
    async with kit.db.transaction() as session:
        row = (await session.execute(select(api_keys).where(api_keys.c.id == key_id))).first()
        if row is None or row.revoked_at is not None or not rules.matches(key, row.key_hash):
            raise Unauthorized("unknown or revoked API key", code="invalid-api-key")
        now = datetime.now(UTC)
        if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
            await session.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=now))
    principal = Principal(
        subject=f"key:{row.id}", username=row.partner, role="integration", scopes=frozenset(row.scopes)
    )
    return principal, row.rate_per_minute
