"""JWT verification and role checks as FastAPI dependencies.

The gateway signs access tokens with its Ed25519 private key; every service verifies them with the
public key alone, so no service can mint a token. Data scopes are applied by the services.
"""

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from servicekit.errors import Unauthorized
from servicekit.roles import Role

ALGORITHM = "EdDSA"


@dataclass(frozen=True)
class Principal:
    subject: str
    username: str
    role: str
    employee_no: str | None = None
    team: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_general_manager(self) -> bool:
        return self.role == Role.GENERAL_MANAGER


_PEM_BEGIN = "-----BEGIN PUBLIC KEY-----"


def public_keys(pem_text: str | None) -> list[str]:
    """Every public key in a PEM text. During a key rotation the file holds the new key and the old
    one, so tokens signed by either verify until the old ones have expired."""
    if not pem_text:
        return []
    return [_PEM_BEGIN + block for block in pem_text.split(_PEM_BEGIN)[1:]]


def _ed25519(pem: str) -> Ed25519PublicKey:
    key = load_pem_public_key(pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the JWT public key must be an Ed25519 key")
    return key


class TokenVerifier:
    """Verifies access tokens against the public keys (loaded once). A verified token is remembered
    until it expires (a bounded cache), so a client's repeated calls cost one signature check."""

    CACHE_SIZE = 4096

    def __init__(self, public_key_pem: str | None, *, issuer: str, audience: str) -> None:
        self.public_keys = [_ed25519(pem) for pem in public_keys(public_key_pem)]
        self.issuer = issuer
        self.audience = audience
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def verify(self, token: str) -> Principal:
        hit = self._verified.get(token)
        if hit is not None and hit[1] > time.time():
            self._verified.move_to_end(token)
            return hit[0]
        principal, expires = self._verify(token)
        self._verified[token] = (principal, expires)
        if len(self._verified) > self.CACHE_SIZE:
            self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        if not self.public_keys:
            raise Unauthorized("this service has no JWT public key configured")
        claims: dict[str, Any] | None = None
        for key in self.public_keys:
            try:
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=[ALGORITHM],
                    issuer=self.issuer,
                    audience=self.audience,
                    options={"require": ["exp", "iat", "sub", "iss", "aud"]},
                )
                break
            except jwt.InvalidSignatureError:
                continue
            except jwt.ExpiredSignatureError as exc:
                raise Unauthorized("access token expired", code="token-expired") from exc
            except jwt.PyJWTError as exc:
                raise Unauthorized(f"invalid access token: {exc}", code="invalid-token") from exc
        if claims is None:
            raise Unauthorized("invalid access token: signature verification failed", code="invalid-token")
        if claims.get("typ") != "access":
            raise Unauthorized("not an access token", code="invalid-token")
        principal = Principal(
            subject=str(claims["sub"]),
            username=str(claims.get("username", claims["sub"])),
            role=str(claims.get("role", "")),
            employee_no=claims.get("employee_no"),
            team=claims.get("team"),
            scopes=frozenset(claims.get("scopes", [])),
        )
        return principal, float(claims["exp"])


def issue_token(
    private_key_pem: str,
    *,
    subject: str,
    claims: dict[str, Any],
    ttl: timedelta,
    issuer: str = "fours-gateway",
    audience: str = "fours",
    typ: str = "access",
) -> str:
    now = datetime.now(UTC)
    payload = {
        **claims,
        "sub": subject,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
        "typ": typ,
    }
    return jwt.encode(payload, private_key_pem, algorithm=ALGORITHM)


_bearer = HTTPBearer(auto_error=False)


def bearer_principal(verifier: TokenVerifier, authorization: str | None) -> Principal:
    """Whose ``Authorization: Bearer <token>`` header this is; 401 when it is missing or invalid."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    return verifier.verify(token)


async def current_principal(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The caller, as a dependency (the ``HTTPBearer`` one puts the scheme in the OpenAPI document)."""
    principal = bearer_principal(request.app.state.verifier, request.headers.get("authorization"))
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
