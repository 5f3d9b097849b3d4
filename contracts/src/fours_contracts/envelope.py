"""CloudEvents 1.0 envelope in Kafka binary content mode.

Attributes travel as ``ce_*`` headers, the event data as the JSON message value and the subject
(aggregate id) as the message key.
"""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from fours_contracts.base import DomainEvent

SPEC_VERSION = "1.0"
EventClass = type[DomainEvent]
_ATTRS = ("id", "source", "type", "subject", "time", "correlationid", "traceparent", "tracestate")


class EnvelopeError(ValueError):
    """The message is not a CloudEvent we can read (missing attribute, bad JSON)."""


class CloudEvent(BaseModel):
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str | None = None
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    correlationid: str | None = None
    traceparent: str | None = None
    """W3C Trace Context of the change that wrote the event (the CloudEvents distributed-tracing extension)."""
    tracestate: str | None = None
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls, event: DomainEvent, *, source: str, correlationid: str | None = None, traceparent: str | None = None
    ) -> "CloudEvent":
        return cls(
            source=source,
            type=event.event_type,
            subject=event.subject(),
            correlationid=correlationid,
            traceparent=traceparent,
            data=event.model_dump(mode="json"),
        )

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        headers = [("ce_specversion", SPEC_VERSION.encode()), ("content-type", b"application/json")]
        for attr in _ATTRS:
            value = getattr(self, attr)
            if value is None:
                continue
            text = value.isoformat() if isinstance(value, datetime) else str(value)
            headers.append((f"ce_{attr}", text.encode()))
        return headers

    def kafka_value(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def from_kafka(
        cls, headers: list[tuple[str, bytes]] | tuple[tuple[str, bytes], ...], value: bytes | None
    ) -> "CloudEvent":
        attrs: dict[str, str] = {}
        for name, raw in headers:
            if name.startswith("ce_"):
                attrs[name[3:]] = raw.decode("utf-8", errors="replace")
        if attrs.get("specversion") != SPEC_VERSION:
            raise EnvelopeError(
                f"not a CloudEvents {SPEC_VERSION} message (ce_specversion={attrs.get('specversion')!r})"
            )
        try:
            data = json.loads(value or b"null")
        except ValueError as exc:
            raise EnvelopeError(f"event data is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise EnvelopeError("event data must be a JSON object")
        try:
            return cls(**{k: v for k, v in attrs.items() if k in _ATTRS}, data=data)
        except ValidationError as exc:
            raise EnvelopeError(f"bad CloudEvents attributes: {exc}") from exc

    def decode(self, event_cls: EventClass) -> DomainEvent:
        """Validate the data against its contract; raises pydantic.ValidationError on poison data."""
        return event_cls.model_validate(self.data)
