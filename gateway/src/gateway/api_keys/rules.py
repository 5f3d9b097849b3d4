"""API keys for manufacturer, insurer and portal integrations: ``fsk_<id>_<secret>``, shown once,
stored as a SHA-256 hash (the secret has 256 bits of entropy, so a slow hash adds nothing)."""

import hashlib
import hmac
import secrets

PREFIX = "fsk"
INTEGRATION_SCOPES = frozenset({"leads:write", "insurance:push", "warranty:decide", "loans:repay"})
"""Scopes for the integration intakes; API keys may also hold permission names (``vehicles:read``)."""


def new_key() -> tuple[str, str]:
    """(key id, the full key to hand to the partner once)."""
    key_id = secrets.token_hex(6)
    return key_id, f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def key_id_of(key: str) -> str | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1]:
        return None
    return parts[1]


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def matches(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key), stored_digest)
