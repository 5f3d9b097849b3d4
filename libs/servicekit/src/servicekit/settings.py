"""Settings base: one env prefix per service (``LEADS_DATABASE_URL``), with the platform-wide names
(``DATABASE_URL``, ``KAFKA_BOOTSTRAP``, ``JWT_PUBLIC_KEY_FILE`` …) accepted unprefixed, as a process
that runs a single service in a container is configured."""

import os
from pathlib import Path
from typing import Any

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SHARED_NAMES = (
    "database_url",
    "kafka_bootstrap",
    "jwt_public_key",
    "jwt_public_key_file",
    "log_level",
    "log_format",
    "opentelemetry",
    "topic_partitions",
    "topic_retention_ms",
    "run_migrations",
)


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "service"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/fours"
    db_pool_size: int = 10
    max_body_bytes: int = 4 * 1024 * 1024
    """Larger request bodies are refused with 413 before they are read (a 1,000-policy batch is ~0.6 MB)."""
    kafka_bootstrap: str = "127.0.0.1:9092"
    topic_partitions: int = 3
    topic_replication: int = 1
    topic_retention_ms: int = 7 * 24 * 3600 * 1000
    jwt_public_key: str | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "fours-gateway"
    jwt_audience: str = "fours"
    run_migrations: bool = True
    relay_enabled: bool = True
    relay_batch: int = 500
    relay_poll_seconds: float = 0.5
    consumer_enabled: bool = True
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2
    consumer_session_timeout_ms: int = 10_000
    consumer_heartbeat_ms: int = 3_000
    consumer_fetch_max_wait_ms: int = 50
    """How long a fetch waits for new events. tansu answers a fetch only when this wait ends (Apache
    Kafka answers as soon as events come), so it bounds how late a consumer sees an event; each
    consumer asks this often while idle (20 ms kept tansu and five idle services at 40 % of a core,
    50 ms at 13 %, with the same p99 under load)."""
    scheduler_enabled: bool = True
    scheduler_poll_seconds: float = 1.0
    log_level: str = "INFO"
    log_format: str = "json"
    opentelemetry: bool = False
    """FastAPI's native OpenTelemetry instrumentation, for a deployment that configures an OpenTelemetry
    SDK; off by default (the platform's own metrics are Prometheus, its logs structlog), because even
    unconfigured it looks up the global providers on every request."""

    @model_validator(mode="before")
    @classmethod
    def _unprefixed_fallbacks(cls, values: Any) -> Any:
        if isinstance(values, dict):
            for name in SHARED_NAMES:
                env = os.environ.get(name.upper())
                if name not in values and env is not None:
                    values[name] = env
        return values

    def public_key_pem(self) -> str | None:
        if self.jwt_public_key:
            return self.jwt_public_key
        if self.jwt_public_key_file:
            return self.jwt_public_key_file.read_text()
        return None
