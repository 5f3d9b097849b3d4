"""INS-2: manufacturers and insurers push policies in batches; each item stands on its own."""

from typing import Any

from pydantic import TypeAdapter, ValidationError
from servicekit.errors import item_errors
from servicekit.kit import Kit
from servicekit.requests import current_request_id

from insurance.intake.tables import intake_batches
from insurance.policies import service as policies

MAX_ITEMS = 1000


async def push(kit: Kit, items: list[Any], item_model: TypeAdapter[Any], *, partner: str) -> list[dict[str, Any]]:
    """Validate each item and record the valid ones: a bad item is reported by index and never stops
    the others; a repeat with equal content is ``unchanged``."""
    results: list[dict[str, Any]] = []
    valid: list[tuple[int, dict[str, Any]]] = []
    for index, raw in enumerate(items):
        try:
            valid.append((index, item_model.validate_python(raw).facts()))
        except ValidationError as exc:
            results.append({"index": index, "status": "rejected", "errors": item_errors(exc)})
    async with kit.db.transaction() as session:
        recorded = await policies.record_many(
            session, [facts for _, facts in valid], source=f"push:{partner}", kit_source=kit.source
        )
        for (index, _), (status, policy_id) in zip(valid, recorded, strict=True):
            results.append({"index": index, "status": status, "policy_id": policy_id, "errors": []})
        results.sort(key=lambda r: r["index"])
        counts = {
            status: sum(1 for r in results if r["status"] == status)
            for status in ("created", "updated", "unchanged", "rejected")
        }
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
