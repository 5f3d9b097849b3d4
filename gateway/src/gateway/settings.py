import functools
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings

SERVICE_NAMES = ("leads", "aftersales", "insurance", "marketing", "payroll")


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", populate_by_name=True)

    jwt_private_key: str | None = None
    jwt_private_key_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("GATEWAY_JWT_PRIVATE_KEY_FILE", "JWT_PRIVATE_KEY_FILE")
    )
    access_ttl_seconds: int = 900
    refresh_ttl_seconds: int = 14 * 24 * 3600
    admin_password: str | None = Field(
        default=None, validation_alias=AliasChoices("GATEWAY_ADMIN_PASSWORD", "FOURS_ADMIN_PASSWORD")
    )
    max_failed_logins: int = 5
    lockout_seconds: int = 900
    upstream_timeout_seconds: float = 10.0
    upstream_retries: int = 1
    """Extra attempts for idempotent (GET) calls that failed to connect or timed out."""
    breaker_threshold: int = 5
    breaker_cooldown_seconds: float = 10.0
    rate_per_minute_user: int = 600
    rate_per_minute_key: int = 1200
    replica_heartbeat_seconds: float = 5.0
    """How often each replica says it is serving; the rate limits are split among those heard of within
    three heartbeats."""
    cookie_secure: bool | None = None
    """Whether the console's session cookie is sent over HTTPS only; unset: when the request came over
    HTTPS (behind a TLS-terminating proxy, uvicorn's ``--proxy-headers`` tells)."""
    console_dir: Path | None = Path(__file__).resolve().parents[3] / "web" / "dist"
    """The built staff console (``make dev`` builds ``web/`` into it), served at ``/console/``."""
    integration_token_seconds: int = 60
    customer360_timeout_seconds: float = 2.0
    leads_url: str = "http://127.0.0.1:8101"
    aftersales_url: str = "http://127.0.0.1:8102"
    insurance_url: str = "http://127.0.0.1:8103"
    marketing_url: str = "http://127.0.0.1:8104"
    payroll_url: str = "http://127.0.0.1:8105"

    def private_key_pem(self) -> str:
        if self.jwt_private_key:
            return self.jwt_private_key
        if self.jwt_private_key_file:
            return _read_key(self.jwt_private_key_file)
        raise RuntimeError("the gateway needs GATEWAY_JWT_PRIVATE_KEY_FILE (or _KEY) to sign tokens")

    def service_urls(self) -> dict[str, str]:
        return {name: getattr(self, f"{name}_url").rstrip("/") for name in SERVICE_NAMES}


@functools.lru_cache(maxsize=4)
def _read_key(path: Path) -> str:
    """The signing key file, read once per process (a new key takes a restart, as a rotation does)."""
    return path.read_text()
