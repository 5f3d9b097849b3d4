"""row_or_404: one record by its key, locked on request, or a 404 problem naming it; rows_by: the
rows of many keys in one query, grouped by key."""

import asyncio
import uuid

import pytest
from servicekit.db import Database, row_or_404, rows_by
from servicekit.errors import NotFound
from servicekit.tables import inbox
from sqlalchemy import update


async def test_the_row_of_the_key_or_a_404_naming_it(kit_db: Database) -> None:
    event_id = f"db-{uuid.uuid4()}"
    async with kit_db.transaction() as session:
        await session.execute(inbox.insert().values(event_id=event_id, type="t", topic="db-test"))
    async with kit_db.transaction() as session:
        row = await row_or_404(session, inbox.c.event_id, event_id, "inbox entry")
        assert (row.event_id, row.topic) == (event_id, "db-test")
        with pytest.raises(NotFound) as missing:
            await row_or_404(session, inbox.c.event_id, "db-nothing", "inbox entry")
    assert missing.value.detail == "inbox entry db-nothing not found" and missing.value.status == 404


async def test_a_locked_row_waits_for_the_holder_to_finish(kit_db: Database) -> None:
    event_id = f"db-{uuid.uuid4()}"
    async with kit_db.transaction() as session:
        await session.execute(inbox.insert().values(event_id=event_id, type="t", topic="first"))
    holder_locked, holder_may_finish = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with kit_db.transaction() as session:
            await row_or_404(session, inbox.c.event_id, event_id, "inbox entry", lock=True)
            holder_locked.set()
            await holder_may_finish.wait()
            await session.execute(update(inbox).where(inbox.c.event_id == event_id).values(topic="second"))

    async def waiter() -> str:
        await holder_locked.wait()
        async with kit_db.transaction() as session:
            row = await row_or_404(session, inbox.c.event_id, event_id, "inbox entry", lock=True)
            return str(row.topic)

    holding = asyncio.create_task(holder())
    waiting = asyncio.create_task(waiter())
    await holder_locked.wait()
    await asyncio.sleep(0.2)
    assert not waiting.done()  # blocked on the lock
    holder_may_finish.set()
    await holding
    assert await waiting == "second"  # read after the holder committed


async def test_rows_by_groups_the_rows_of_many_keys_in_their_order(kit_db: Database) -> None:
    topic, other, empty = (f"db-{uuid.uuid4()}" for _ in range(3))
    async with kit_db.transaction() as session:
        for event_id, on in (("b", topic), ("a", topic), ("c", other)):
            await session.execute(inbox.insert().values(event_id=f"{on}-{event_id}", type="t", topic=on))
    async with kit_db.transaction() as session:
        grouped = await rows_by(session, inbox.c.topic, [topic, empty, other], order_by=inbox.c.event_id)
        assert list(grouped) == [topic, empty, other]
        assert [row.event_id for row in grouped[topic]] == [f"{topic}-a", f"{topic}-b"]
        assert (grouped[empty], [row.event_id for row in grouped[other]]) == ([], [f"{other}-c"])
        assert await rows_by(session, inbox.c.topic, []) == {}
