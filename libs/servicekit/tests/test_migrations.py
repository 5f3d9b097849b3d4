"""Every service's migration chain builds exactly the tables its code declares."""

import asyncio
import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fours_devstack.postgres import create_databases, database_url
from servicekit.db import kit_metadata
from servicekit.migrations import upgrade
from sqlalchemy.ext.asyncio import create_async_engine

SERVICES = ["leads", "aftersales", "insurance", "marketing", "payroll", "gateway"]


@pytest.mark.parametrize("name", SERVICES)
async def test_migrations_match_the_tables_in_code(postgres_url: str, name: str) -> None:
    spec = importlib.import_module(f"{name}.main").SPEC
    await create_databases(postgres_url, [f"mig_{name}"])
    url = database_url(postgres_url, f"mig_{name}")
    await asyncio.to_thread(upgrade, url, spec.migrations, spec.metadata)
    await asyncio.to_thread(upgrade, url, spec.migrations, spec.metadata)  # a second run changes nothing
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), [spec.metadata, kit_metadata])
            )
    finally:
        await engine.dispose()
    assert diff == [], f"{name}: models and migrations differ; generate a migration: {diff}"
