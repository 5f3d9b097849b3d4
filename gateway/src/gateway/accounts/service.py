import asyncio
import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from servicekit.auth import issue_token
from servicekit.errors import NotFound, Unauthorized, Unprocessable, field_error
from servicekit.kit import Kit
from servicekit.logs import get_logger
from servicekit.roles import Role
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from gateway.accounts import rules
from gateway.accounts.tables import refresh_tokens, users
from gateway.settings import Settings

_hasher = PasswordHasher()
_PUBLIC = (users.c.id, users.c.username, users.c.role, users.c.employee_no, users.c.team, users.c.active)
_log = get_logger("accounts")
_BAD_LOGIN = "wrong username or password"


_dummy: list[str] = []


async def _dummy_hash() -> str:
    if not _dummy:
        _dummy.append(await hash_password(secrets.token_hex(8)))
    return _dummy[0]


def settings_of(kit: Kit) -> Settings:
    assert isinstance(kit.settings, Settings)
    return kit.settings


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def _verify(password_hash: str, password: str) -> bool:
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def ensure_admin(kit: Kit) -> None:
    """On first start the ``admin`` user (general manager) is created with FOURS_ADMIN_PASSWORD."""
    password = settings_of(kit).admin_password
    if not password:
        return
    async with kit.db.transaction() as session:
        exists = await session.scalar(select(users.c.id).where(users.c.username == "admin"))
        if exists:
            return
        await session.execute(
            insert(users)
            .values(
                id=str(uuid.uuid4()),
                username="admin",
                password_hash=await hash_password(password),
                role=Role.GENERAL_MANAGER,
            )
            .on_conflict_do_nothing(index_elements=[users.c.username])
        )
    _log.info("admin user created")


async def create_user(
    kit: Kit, *, username: str, password: str, role: str, employee_no: str | None, team: str | None
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                insert(users)
                .values(
                    id=str(uuid.uuid4()),
                    username=username,
                    password_hash=await hash_password(password),
                    role=role,
                    employee_no=employee_no,
                    team=team,
                )
                .returning(users.c.id, users.c.username, users.c.role, users.c.employee_no, users.c.team)
            )
        ).one()
    return dict(row._mapping)


async def list_users(kit: Kit) -> list[dict[str, Any]]:
    async with kit.db.transaction() as session:
        rows = (await session.execute(select(*_PUBLIC).order_by(users.c.username))).all()
    return [dict(r._mapping) for r in rows]


async def update_user(kit: Kit, user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Role, team, employee number or active flag; a deactivated user's sessions end at once."""
    async with kit.db.transaction() as session:
        query = (
            update(users).where(users.c.id == user_id).values(**changes).returning(*_PUBLIC)
            if changes
            else select(*_PUBLIC).where(users.c.id == user_id)
        )
        row = (await session.execute(query)).first()
        if row is None:
            raise NotFound(f"user {user_id} not found")
        if changes.get("active") is False:
            await _revoke_all(session, user_id)
    return dict(row._mapping)


async def reset_password(kit: Kit, user_id: str, new_password: str) -> None:
    async with kit.db.transaction() as session:
        found = await session.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(password_hash=await hash_password(new_password), failed_logins=0, locked_until=None)
            .returning(users.c.id)
        )
        if found.first() is None:
            raise NotFound(f"user {user_id} not found")
        await _revoke_all(session, user_id)


async def change_own_password(kit: Kit, user_id: str, current: str, new_password: str) -> None:
    async with kit.db.transaction() as session:
        user = (await session.execute(select(users).where(users.c.id == user_id).with_for_update())).first()
        if user is None or not await _verify(user.password_hash, current):
            raise Unprocessable(
                "the current password is wrong", errors=[field_error("current_password", "does not match")]
            )
        await session.execute(
            update(users).where(users.c.id == user_id).values(password_hash=await hash_password(new_password))
        )
        await _revoke_all(session, user_id)


async def _revoke_all(session: Any, user_id: str) -> None:
    await session.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def login(kit: Kit, username: str, password: str) -> dict[str, Any]:
    settings = settings_of(kit)
    now = datetime.now(UTC)
    async with kit.db.transaction() as session:
        user = (await session.execute(select(users).where(users.c.username == username).with_for_update())).first()
        if user is None or not user.active:
            await _verify(await _dummy_hash(), password)  # same time as a wrong password
            raise Unauthorized(_BAD_LOGIN, code="bad-credentials")
        if rules.is_locked(user.locked_until, now):
            raise Unauthorized("account locked after repeated failures; try later", code="account-locked")
        if not await _verify(user.password_hash, password):
            failures, locked_until = rules.after_failure(
                user.failed_logins,
                now,
                max_failures=settings.max_failed_logins,
                lockout=timedelta(seconds=settings.lockout_seconds),
            )
            await session.execute(
                update(users).where(users.c.id == user.id).values(failed_logins=failures, locked_until=locked_until)
            )
            failed = True
        else:
            failed = False
            await session.execute(update(users).where(users.c.id == user.id).values(failed_logins=0, locked_until=None))
            tokens = await _issue(session, settings, user, family=uuid.uuid4().hex)
    if failed:
        raise Unauthorized(_BAD_LOGIN, code="bad-credentials")
    return tokens


async def refresh(kit: Kit, refresh_token: str) -> dict[str, Any]:
    """Rotation: a refresh token works once; presenting a used one revokes its whole family."""
    settings = settings_of(kit)
    now = datetime.now(UTC)
    digest = _digest(refresh_token)
    async with kit.db.transaction() as session:
        token = (
            await session.execute(select(refresh_tokens).where(refresh_tokens.c.token_hash == digest).with_for_update())
        ).first()
        if token is None or token.revoked_at is not None or token.expires_at <= now:
            raise Unauthorized("refresh token is not valid", code="invalid-refresh-token")
        if token.used_at is not None:
            await session.execute(
                update(refresh_tokens).where(refresh_tokens.c.family == token.family).values(revoked_at=now)
            )
            reused = True
        else:
            reused = False
            await session.execute(
                update(refresh_tokens).where(refresh_tokens.c.token_hash == digest).values(used_at=now)
            )
            user = (await session.execute(select(users).where(users.c.id == token.user_id))).one()
            if not user.active:
                raise Unauthorized("account disabled", code="account-disabled")
            tokens = await _issue(session, settings, user, family=token.family)
    if reused:
        _log.warning("refresh token reused; family revoked", family=token.family)
        raise Unauthorized("refresh token was already used; sign in again", code="refresh-token-reused")
    return tokens


async def logout(kit: Kit, refresh_token: str) -> None:
    async with kit.db.transaction() as session:
        family = await session.scalar(
            select(refresh_tokens.c.family).where(refresh_tokens.c.token_hash == _digest(refresh_token))
        )
        if family:
            await session.execute(
                update(refresh_tokens).where(refresh_tokens.c.family == family).values(revoked_at=datetime.now(UTC))
            )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _issue(session: Any, settings: Settings, user: Any, *, family: str) -> dict[str, Any]:
    access = issue_token(
        settings.private_key_pem(),
        subject=user.id,
        claims={
            "username": user.username,
            "role": user.role,
            "employee_no": user.employee_no,
            "team": user.team,
        },
        ttl=timedelta(seconds=settings.access_ttl_seconds),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    refresh_token = secrets.token_urlsafe(32)
    await session.execute(
        insert(refresh_tokens).values(
            token_hash=_digest(refresh_token),
            user_id=user.id,
            family=family,
            expires_at=datetime.now(UTC) + timedelta(seconds=settings.refresh_ttl_seconds),
        )
    )
    return {
        "access_token": access,
        "refresh_token": refresh_token,
        "token_type": "bearer",
        "expires_in": settings.access_ttl_seconds,
    }
