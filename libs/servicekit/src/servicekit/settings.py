"""Settings base: one env prefix per service (``LEADS_DATABASE_URL``), with the platform-wide names
(``DATABASE_URL``, ``KAFKA_BOOTSTRAP``, ``JWT_PUBLIC_KEY_FILE`` …) accepted unprefixed, as a process
that runs a single service in a container is configured."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SHARED_NAMES = (
    "database_url",
    "kafka_bootstrap",
    "kafka_kind",
    "jwt_public_key",
    "jwt_public_key_file",
    "log_level",
    "log_format",
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
    kafka_kind: Literal["apache", "tansu"] = "apache"
    """The broker behind ``kafka_bootstrap``: Apache Kafka in production, tansu (memory only) in
    ``make dev`` and the tests. It gives the defaults of the settings that differ between them
    (``BROKER_DEFAULTS``); each of those can still be set on its own."""
    producer_idempotence: bool = True
    """The idempotent producer (Kafka drops a batch the producer retried after a lost ack); tansu has
    none, so it is off there. Exactly-once in effect still comes from the outbox and the inbox."""
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
    relay_republish_on_missing_topic: bool = False
    """When the relay finds its topic missing and creates it, publish every outbox row again. That is
    the recovery for the memory-only dev broker, which forgets its topics when it restarts. On a
    production Kafka a missing topic means an operator deleted it: the relay says so loudly and
    republishes nothing (the events may have been consumed already; replaying them is a decision)."""
    consumer_enabled: bool = True
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2
    consumer_session_timeout_ms: int = 10_000
    consumer_heartbeat_ms: int = 3_000
    consumer_fetch_max_wait_ms: int = 500
    """How long a fetch waits for new events. Apache Kafka answers as soon as events come, so the wait
    only sets how often an idle consumer asks (Kafka's own default, 500 ms). tansu answers a fetch
    only when the wait ends, so there it bounds how late a consumer sees an event: 50 ms (20 ms kept
    tansu and five idle services at 40 % of a core, 50 ms at 13 %, with the same p99 under load)."""
    consumer_commit_interval_ms: int = 1_000
    """How often a busy consumer commits its offsets (and at once when a fetch brings nothing, or the
    group takes partitions away). Every handled event is already in the inbox, in the transaction of
    its effects, so a crash redelivers at most this much and the inbox drops it; committing after
    every fetched batch cost a broker round trip per batch (one per event when the stream is slow)."""
    consumer_reread_on_assignment: bool = False
    """Read each partition a consumer is given from its beginning, the inbox dropping what it handled:
    the memory-only dev broker forgets committed offsets when it restarts, and offsets committed
    while the relays publish again can point past events. Kafka keeps them: off there."""
    scheduler_enabled: bool = True
    scheduler_poll_seconds: float = 1.0
    retention_enabled: bool = True
    retention_every_seconds: float = 3600.0
    retention_batch: int = 1000
    """Rows deleted per transaction; each batch is followed by ``retention_pause_seconds``."""
    retention_pause_seconds: float = 0.05
    retention_outbox_days: float = 14.0
    """Sent outbox rows (pending ones are never pruned)."""
    retention_inbox_days: float = 14.0
    """At least the topics' retention (``topic_retention_ms``, 7 days): a redelivered event is still known."""
    retention_idempotency_days: float = 8.0
    """The Idempotency-Key window is 7 days: a repeat within it gets the first answer."""
    retention_dead_letters_days: float = 30.0
    """Dead letters replayed or discarded; parked ones stay until someone acts on them."""
    retention_due_jobs_days: float = 30.0
    """Done and cancelled jobs; at least the inbox's retention. Failed ones stay for a look."""
    log_level: str = "INFO"
    log_format: str = "json"

    @model_validator(mode="before")
    @classmethod
    def _unprefixed_fallbacks(cls, values: Any) -> Any:
        if isinstance(values, dict):
            for name in SHARED_NAMES:
                env = os.environ.get(name.upper())
                if name not in values and env is not None:
                    values[name] = env
            for name, value in BROKER_DEFAULTS.get(str(values.get("kafka_kind", "apache")), {}).items():
                values.setdefault(name, value)
        return values

    @model_validator(mode="after")
    def _retention_outlives_redelivery(self) -> "ServiceSettings":
        topic_days = self.topic_retention_ms / 86_400_000
        if self.retention_inbox_days < topic_days:
            raise ValueError(
                f"retention_inbox_days ({self.retention_inbox_days:g}) is shorter than the topics keep events "
                f"({topic_days:g} days): an event redelivered from the topic would be counted twice"
            )
        if self.retention_due_jobs_days < self.retention_inbox_days:
            raise ValueError(
                "retention_due_jobs_days is shorter than retention_inbox_days: a redelivered event could plan a "
                "finished job again"
            )
        return self

    def retention(self) -> dict[str, timedelta]:
        """How long each of the kit's tables keeps a row (``servicekit.retention``)."""
        return {
            "outbox": timedelta(days=self.retention_outbox_days),
            "inbox": timedelta(days=self.retention_inbox_days),
            "idempotency_keys": timedelta(days=self.retention_idempotency_days),
            "dead_letters": timedelta(days=self.retention_dead_letters_days),
            "due_jobs": timedelta(days=self.retention_due_jobs_days),
        }

    def public_key_pem(self) -> str | None:
        if self.jwt_public_key:
            return self.jwt_public_key
        if self.jwt_public_key_file:
            return self.jwt_public_key_file.read_text()
        return None


BROKER_DEFAULTS: dict[str, dict[str, Any]] = {
    "apache": {},  # the fields' own defaults
    "tansu": {
        "producer_idempotence": False,
        "consumer_fetch_max_wait_ms": 50,
        "relay_republish_on_missing_topic": True,
        "consumer_reread_on_assignment": True,
    },
}
"""What differs between the brokers, by ``kafka_kind``: the values for tansu where they are not the
production defaults. ``acks=all`` holds on both."""
