"""make backup / make restore: a round trip of real service databases keeps every row (count and
checksum per table), a damaged dump is refused, and a restore puts back what was changed since."""

import asyncio
from pathlib import Path

import asyncpg
import pytest
from factories import delivery, employee
from fours_devstack import backup
from fours_devstack.postgres import create_databases
from fours_devstack.testing import Stack
from test_first_flow import hired, known_to_leads, login


async def test_a_backup_restores_to_the_same_rows_and_a_damaged_one_is_refused(
    stack: Stack, postgres_url: str, tmp_path: Path
) -> None:
    admin = await login(stack)
    consultant = (await hired(admin, **employee()))["employee_no"]
    await known_to_leads(admin, consultant)
    assert (await admin.post("/api/v1/deliveries", json=delivery(consultant))).status_code == 201

    target = tmp_path / "backup"
    manifest = await asyncio.to_thread(backup.backup, postgres_url, target, ["t_leads", "t_payroll"])
    leads_tables = manifest["databases"]["t_leads"]["tables"]
    assert leads_tables["public.deliveries"]["rows"] >= 1 and "public.customers" in leads_tables
    await create_databases(postgres_url, ["t_leads_restored", "t_payroll_restored"])
    into = {"t_leads": "t_leads_restored", "t_payroll": "t_payroll_restored"}
    await asyncio.to_thread(backup.restore, postgres_url, target, into=into)
    assert await backup.fingerprint(postgres_url, "t_leads_restored") == leads_tables

    kwargs = backup._connect_kwargs(postgres_url, "t_leads_restored")
    conn = await asyncpg.connect(**kwargs)
    try:
        await conn.execute("DELETE FROM deliveries")
        await conn.execute("UPDATE customers SET name = 'changed'")
    finally:
        await conn.close()
    assert await backup.fingerprint(postgres_url, "t_leads_restored") != leads_tables
    await asyncio.to_thread(backup.restore, postgres_url, target, into=into)  # over the changed data
    assert await backup.fingerprint(postgres_url, "t_leads_restored") == leads_tables

    dump = target / "t_payroll.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="damaged"):
        await asyncio.to_thread(backup.restore, postgres_url, target, into=into)
