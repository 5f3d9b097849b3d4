"""A database of its own with only the kit's tables, and a test event on its own topic."""

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fours_devstack.postgres import create_databases, database_url
from servicekit.broker import Broker
from servicekit.db import Database
from servicekit.migrations import upgrade
from servicekit.settings import ServiceSettings
from sqlalchemy import MetaData, text

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
async def kit_db(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Database]:
    await create_databases(postgres_url, ["kit_test"])
    url = database_url(postgres_url, "kit_test")
    versions = tmp_path_factory.mktemp("versions")
    await asyncio.to_thread(upgrade, url, Path(versions), MetaData())
    db = Database(url)
    async with db.transaction() as session:
        await session.execute(text("CREATE TABLE IF NOT EXISTS effects (event_id text, value text)"))
    yield db
    await db.dispose()


@pytest.fixture
def broker(kafka_bootstrap: str, kafka_kind: str) -> Broker:
    idempotence = ServiceSettings(kafka_kind=kafka_kind).producer_idempotence  # type: ignore[arg-type]
    return Broker(
        kafka_bootstrap,
        client_id="kittest",
        partitions=3,
        replication=1,
        retention_ms=3_600_000,
        idempotence=idempotence,
    )


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]
