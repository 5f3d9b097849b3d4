"""INS-2: manufacturers and insurers push policies in batches; each item stands on its own."""

from typing import Any

from pydantic import TypeAdapter, ValidationError
from servicekit.kit import Kit
from servicekit.requests import current_request_id

from insurance.intake.tables import intake_batches
from insurance.policies import service as policies

MAX_ITEMS = 1000


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    return [{"name": ".".join(str(p) for p in e["loc"]) or "item", "reason": e["msg"]} for e in exc.errors()]


async def push(kit: Kit, items: list[Any], item_model: TypeAdapter[Any], *, partner: str) -> list[dict[str, Any]]:
    """Validate and record each item in its own savepoint: a bad item is reported by index and never
    stops the others; a repeat with equal content is ``unchanged``."""
    results: list[dict[str, Any]] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    async with kit.db.transaction() as session:
        for index, raw in enumerate(items):
            try:
                item = item_model.validate_python(raw)
            except ValidationError as exc:
                results.append({"index": index, "status": "rejected", "errors": _errors(exc)})
                counts["rejected"] += 1
                continue
            facts = item.facts()
            async with session.begin_nested():
                status, policy_id = await policies.record(
                    session, facts, source=f"push:{partner}", kit_source=kit.source
                )
            results.append({"index": index, "status": status, "policy_id": policy_id, "errors": []})
            counts[status] += 1
        await session.execute(
            intake_batches.insert().values(
                partner=partner, items=len(items), counts=counts, request_id=current_request_id()
            )
        )
    return results


async def log(kit: Kit, partner: str | None, limit: int) -> list[dict[str, Any]]:
    from sqlalchemy import select

    query = select(intake_batches).order_by(intake_batches.c.id.desc()).limit(limit)
    if partner:
        query = query.where(intake_batches.c.partner == partner)
    async with kit.db.transaction() as session:
        return [dict(r._mapping) for r in (await session.execute(query)).all()]
