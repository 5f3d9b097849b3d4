"""Text messages to customers through a provider. A message is queued in ``sms_messages`` in the same
transaction as the change that causes it, and a due job hands it to the provider — so a rolled-back
quote sends nothing and a provider outage only delays (the job retries with backoff).

``LoggingSmsProvider`` (the default, for dev and tests) writes the message to the log; a real gateway
(Aliyun, Tencent Cloud SMS) implements ``SmsProvider`` and is chosen by ``INSURANCE_SMS_PROVIDER``."""

import uuid
from datetime import UTC, datetime
from typing import Any, Protocol

import structlog
from servicekit import scheduler
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.sms.tables import sms_messages

JOB = "sms.send"
_log = structlog.get_logger("sms")


class SmsProvider(Protocol):
    name: str

    async def send(self, mobile: str, body: str) -> str:
        """Send one message; returns the provider's message id. Raises when it was not accepted."""


class LoggingSmsProvider:
    name = "log"

    async def send(self, mobile: str, body: str) -> str:
        _log.info("sms", mobile=mobile[:3] + "****" + mobile[-4:], chars=len(body), body=body)
        return f"log-{uuid.uuid4()}"


PROVIDERS: dict[str, SmsProvider] = {"log": LoggingSmsProvider()}
provider: SmsProvider = PROVIDERS["log"]


async def queue(session: AsyncConnection, *, mobile: str, body: str, purpose: str, ref: str) -> str:
    sms_id = str(uuid.uuid4())
    await session.execute(sms_messages.insert().values(id=sms_id, mobile=mobile, body=body, purpose=purpose, ref=ref))
    await scheduler.schedule(session, JOB, sms_id, datetime.now(UTC), {"sms_id": sms_id})
    return sms_id


async def send(session: AsyncConnection, payload: dict[str, Any]) -> None:
    """Due job: hand a queued message to the provider."""
    row = (await session.execute(select(sms_messages).where(sms_messages.c.id == payload["sms_id"]))).first()
    if row is None or row.status != "queued":
        return
    ref = await provider.send(row.mobile, row.body)
    await session.execute(
        update(sms_messages)
        .where(sms_messages.c.id == row.id)
        .values(status="sent", provider=provider.name, provider_ref=ref, sent_at=datetime.now(UTC))
    )


async def of(session: AsyncConnection, ref: str) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(sms_messages).where(sms_messages.c.ref == ref).order_by(sms_messages.c.queued_at)
    )
    return [dict(r._mapping) for r in rows.all()]
