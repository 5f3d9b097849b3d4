import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from fours_contracts import PolicyRecorded
from servicekit import outbox
from servicekit.kit import Kit
from servicekit.pagination import decode_cursor, page_of
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from insurance.policies import rules
from insurance.policies.tables import policies
from insurance.renewals import service as renewals

FACTS = (
    "vin",
    "holder_name",
    "holder_mobile",
    "kind",
    "coverages",
    "premium",
    "start_date",
    "end_date",
    "commission_rate",
)


async def record(session: AsyncSession, facts: dict[str, Any], *, source: str, kit_source: str) -> tuple[str, str]:
    """Create or update a policy by (insurer, policy_no); (outcome, policy id). Publishes *policy
    recorded* when anything changed."""
    digest = rules.content_hash({k: facts[k] for k in ("insurer", "policy_no", *FACTS) if k in facts})
    existing = (
        await session.execute(
            select(policies.c.id, policies.c.content_hash)
            .where(policies.c.insurer == facts["insurer"], policies.c.policy_no == facts["policy_no"])
            .with_for_update()
        )
    ).first()
    result = rules.outcome(existing.content_hash if existing else None, digest)
    if result == "unchanged":
        assert existing is not None
        return result, existing.id
    values = {k: facts.get(k) for k in FACTS}
    if values.get("commission_rate") is not None:
        values["commission_amount"] = (values["premium"] * values["commission_rate"]).quantize(Decimal("0.01"))
    if existing is None:
        policy_id = str(uuid.uuid4())
        await session.execute(
            policies.insert().values(id=policy_id, insurer=facts["insurer"], policy_no=facts["policy_no"], source=source,
                                     content_hash=digest, **values)
        )  # fmt: skip
    else:
        policy_id = existing.id
        await session.execute(
            update(policies)
            .where(policies.c.id == policy_id)
            .values(content_hash=digest, version=policies.c.version + 1, updated_at=func.now(), **values)
        )
    await outbox.publish(
        session,
        PolicyRecorded(
            policy_id=policy_id, insurer=facts["insurer"], policy_no=facts["policy_no"], vin=facts["vin"],
            holder_name=facts["holder_name"], holder_mobile=facts["holder_mobile"], kind=facts["kind"],
            coverages=facts["coverages"], premium=facts["premium"], start_date=facts["start_date"], end_date=facts["end_date"],
        ),
        source=kit_source,
    )  # fmt: skip
    await renewals.on_policy_recorded(session, policy_id, source=kit_source, fresh=existing is None)
    return result, policy_id


async def search(
    kit: Kit,
    *,
    policy_no: str | None,
    vin: str | None,
    mobile: str | None,
    expiring_before: date | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    query = select(policies).order_by(policies.c.end_date, policies.c.id).limit(limit + 1)
    if policy_no:
        query = query.where(policies.c.policy_no == policy_no)
    if vin:
        query = query.where(policies.c.vin == vin.strip().upper())
    if mobile:
        query = query.where(policies.c.holder_mobile == mobile)
    if expiring_before:
        query = query.where(policies.c.end_date < expiring_before)
    after = decode_cursor(cursor)
    if after:
        query = query.where(
            (policies.c.end_date > date.fromisoformat(after[0]))
            | ((policies.c.end_date == date.fromisoformat(after[0])) & (policies.c.id > after[1]))
        )
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    page, next_cursor = page_of(list(rows), limit, lambda r: [r.end_date.isoformat(), r.id])
    return [dict(r._mapping) for r in page], next_cursor
