import uuid
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from fours_contracts import PolicyRecorded
from servicekit import outbox
from servicekit.hooks import Hook
from servicekit.kit import Kit
from servicekit.pagination import fetch_page
from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.policies import rules
from insurance.policies.tables import policies

FACTS = (
    "vin",
    "plate",
    "holder_name",
    "holder_mobile",
    "kind",
    "coverages",
    "premium",
    "start_date",
    "end_date",
    "commission_rate",
)


policy_recorded: Hook[...] = Hook("policy recorded (session, its id, source=, fresh=)")
policies_created: Hook[...] = Hook("policies created in a batch (session, their rows, source=)")
provisional_planned: Hook[...] = Hook("provisional policy of a sold car (session, its id, end date, fresh=)")
provisional_dropped: Hook[...] = Hook("provisional policy dropped with its sale (session, its id)")
"""What other features (the renewals desk, INS-3) do as policies change, in the same transaction;
wired in ``insurance.main``."""


async def row(session: AsyncConnection, policy_id: str) -> Any | None:
    return (await session.execute(select(policies).where(policies.c.id == policy_id))).first()


async def by_number(session: AsyncConnection, insurer: str, policy_no: str) -> Any | None:
    query = select(policies).where(policies.c.insurer == insurer, policies.c.policy_no == policy_no)
    return (await session.execute(query)).first()


async def record(session: AsyncConnection, facts: dict[str, Any], *, source: str, kit_source: str) -> tuple[str, str]:
    """Create or update a policy by (insurer, policy_no); (outcome, policy id). Publishes *policy
    recorded* when anything changed."""
    digest = _digest(facts)
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
    provisional = None if existing is not None else await _provisional(session, facts)
    if provisional is not None:  # the insurer's policy for a car sold with insurance: it replaces the placeholder
        policy_id = provisional
        await session.execute(
            update(policies)
            .where(policies.c.id == policy_id)
            .values(
                policy_no=facts["policy_no"],
                source=source,
                content_hash=digest,
                version=policies.c.version + 1,
                updated_at=func.now(),
                **values,
            )
        )
    elif existing is None:
        policy_id = str(uuid.uuid4())
        await session.execute(
            policies.insert().values(
                id=policy_id,
                insurer=facts["insurer"],
                policy_no=facts["policy_no"],
                source=source,
                content_hash=digest,
                **values,
            )
        )
    else:
        policy_id = existing.id
        await session.execute(
            update(policies)
            .where(policies.c.id == policy_id)
            .values(content_hash=digest, version=policies.c.version + 1, updated_at=func.now(), **values)
        )
    await outbox.publish(session, _recorded(policy_id, facts), source=kit_source)
    await policy_recorded.fire(session, policy_id, source=kit_source, fresh=existing is None and provisional is None)
    return result, policy_id


async def record_many(
    session: AsyncConnection, items: list[dict[str, Any]], *, source: str, kit_source: str
) -> list[tuple[str, str]]:
    """``record`` for a batch: equal repeats and brand-new policies in a few set-based statements, the
    rest (updates, a number twice in the batch, a new-car policy that may replace a placeholder) one
    by one in savepoints. Returns (outcome, policy id) per item, in order."""
    results: list[tuple[str, str] | None] = [None] * len(items)
    digests = [_digest(f) for f in items]
    keys = list({(f["insurer"], f["policy_no"]) for f in items})
    existing = {
        (r.insurer, r.policy_no): r
        for r in (
            await session.execute(
                select(policies.c.id, policies.c.insurer, policies.c.policy_no, policies.c.content_hash)
                .where(tuple_(policies.c.insurer, policies.c.policy_no).in_(keys))
                .with_for_update()
            )
        ).all()
    }
    seen: set[tuple[str, str]] = set()
    fresh: list[int] = []
    slow: list[int] = []
    for i, f in enumerate(items):
        key = (f["insurer"], f["policy_no"])
        row = existing.get(key)
        if key in seen or f.get("kind") == "new_car" or (row is not None and row.content_hash != digests[i]):
            slow.append(i)
        elif row is not None:
            results[i] = ("unchanged", row.id)
        else:
            fresh.append(i)
        seen.add(key)
    rows = []
    for i in fresh:
        values = {k: items[i].get(k) for k in FACTS}
        if values.get("commission_rate") is not None:
            values["commission_amount"] = (values["premium"] * values["commission_rate"]).quantize(Decimal("0.01"))
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "insurer": items[i]["insurer"],
                "policy_no": items[i]["policy_no"],
                "source": source,
                "content_hash": digests[i],
                **values,
            }
        )
    inserted: set[str] = set()
    if rows:
        returned = await session.execute(
            insert(policies).on_conflict_do_nothing(constraint="policies_by_insurer_number").returning(policies.c.id),
            rows,
        )
        inserted = set(returned.scalars().all())
    created = []
    for i, row in zip(fresh, rows, strict=True):
        if row["id"] in inserted:
            results[i] = ("created", row["id"])
            created.append(SimpleNamespace(**row))
        else:  # a concurrent batch stored the same number meanwhile
            slow.append(i)
    await outbox.publish_many(session, [_recorded(p.id, vars(p)) for p in created], source=kit_source)
    await policies_created.fire(session, created, source=kit_source)
    for i in sorted(slow):
        async with session.begin_nested():
            results[i] = await record(session, items[i], source=source, kit_source=kit_source)
    return [r for r in results if r is not None]


def _recorded(policy_id: str, facts: dict[str, Any]) -> PolicyRecorded:
    return PolicyRecorded(
        policy_id=policy_id,
        insurer=facts["insurer"],
        policy_no=facts["policy_no"],
        vin=facts["vin"],
        holder_name=facts["holder_name"],
        holder_mobile=facts["holder_mobile"],
        kind=facts["kind"],
        coverages=facts["coverages"],
        premium=facts["premium"],
        start_date=facts["start_date"],
        end_date=facts["end_date"],
    )


def _digest(facts: dict[str, Any]) -> str:
    """What the insurer said, fingerprinted; a field it did not send (a plate) leaves it unchanged."""
    return rules.content_hash(
        {
            k: facts[k]
            for k in ("insurer", "policy_no", *FACTS)
            if k in facts and not (k == "plate" and facts[k] is None)
        }
    )


PENDING = "PENDING-"
"""Policy number of the placeholder a delivery with insurance creates until the insurer's policy arrives."""


async def _provisional(session: AsyncConnection, facts: dict[str, Any]) -> str | None:
    if facts.get("kind") != "new_car":
        return None
    return await session.scalar(  # type: ignore[no-any-return]
        select(policies.c.id)
        .where(
            policies.c.vin == facts["vin"],
            policies.c.insurer == facts["insurer"],
            policies.c.source == "delivery",
            policies.c.kind == "new_car",
        )
        .with_for_update()
        .limit(1)
    )


_PROVISIONAL = insert(policies).on_conflict_do_nothing(constraint="policies_by_insurer_number").returning(policies.c.id)
"""A handover's placeholder policy, once; built once, its values go with each execution."""


async def provisional_from_delivery(
    session: AsyncConnection,
    *,
    delivery_id: str,
    vin: str,
    insurer: str,
    holder_name: str,
    holder_mobile: str,
    coverages: list[str],
    delivered_on: date,
) -> None:
    """INS-1: a car sold with insurance has a new-car policy from the handover: a placeholder (no
    number, no premium yet) that the insurer's pushed policy replaces; its renewal is planned from now."""
    policy_id = str(uuid.uuid4())
    end = rules.one_year_from(delivered_on)
    inserted = await session.scalar(
        _PROVISIONAL,
        {
            "id": policy_id,
            "insurer": insurer,
            "policy_no": PENDING + delivery_id,
            "vin": vin,
            "holder_name": holder_name,
            "holder_mobile": holder_mobile,
            "kind": "new_car",
            "coverages": [{"code": c, "premium": "0.00"} for c in coverages],
            "premium": Decimal("0.00"),
            "start_date": delivered_on,
            "end_date": end,
            "source": "delivery",
            "content_hash": "",
        },
    )
    if inserted is not None:
        await provisional_planned.fire(session, policy_id, end, fresh=True)


async def drop_provisional(session: AsyncConnection, delivery_id: str) -> None:
    """A cancelled sale: its placeholder policy (if the insurer's has not replaced it) goes."""
    policy_id = await session.scalar(
        delete(policies)
        .where(policies.c.policy_no == PENDING + delivery_id, policies.c.source == "delivery")
        .returning(policies.c.id)
    )
    if policy_id is not None:
        await provisional_dropped.fire(session, policy_id)


async def fill_plate(session: AsyncConnection, vin: str, plate: str) -> None:
    """REG-2: the car's policies that came without a plate (a new car's) gain the one it got."""
    await session.execute(update(policies).where(policies.c.vin == vin, policies.c.plate.is_(None)).values(plate=plate))


async def search(
    kit: Kit,
    *,
    policy_no: str | None,
    vin: str | None,
    mobile: str | None,
    plate: str | None = None,
    expiring_before: date | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    query = select(policies)
    if policy_no:
        query = query.where(policies.c.policy_no == policy_no)
    if vin:
        query = query.where(policies.c.vin == vin)
    if mobile:
        query = query.where(policies.c.holder_mobile == mobile)
    if plate:
        query = query.where(policies.c.plate == rules.plate_key(plate))
    if expiring_before:
        query = query.where(policies.c.end_date < expiring_before)
    order = (policies.c.end_date, policies.c.id)
    async with kit.db.transaction() as session:
        page, next_cursor = await fetch_page(session, query, order, cursor, limit)
    return [dict(r._mapping) for r in page], next_cursor
