"""Alembic, one chain per service plus the kit's own branch, run on start-up before serving.

A service keeps only ``migrations/versions/``; the environment (env.py) is the kit's, and the kit's
tables come from the ``servicekit`` branch, so ``upgrade heads`` brings both up. Concurrent replicas
serialise on an advisory lock inside env.py.

    python -m servicekit.migrations revision leads -m "add leads"   # autogenerate
    python -m servicekit.migrations upgrade leads
"""

import argparse
import importlib
import os
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from servicekit import tables as _kit_tables  # noqa: F401 - registers the kit tables on kit_metadata
from servicekit.db import async_url, kit_metadata

ENV_DIR = Path(__file__).parent / "alembic_env"
KIT_VERSIONS = Path(__file__).parent / "kit_versions"


def alembic_config(database_url: str, versions_dir: Path, metadata: MetaData) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ENV_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join([str(versions_dir), str(KIT_VERSIONS)]))
    cfg.attributes["database_url"] = async_url(database_url)
    cfg.attributes["target_metadata"] = [metadata, kit_metadata]
    return cfg


def upgrade(database_url: str, versions_dir: Path, metadata: MetaData) -> None:
    command.upgrade(alembic_config(database_url, versions_dir, metadata), "heads")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m servicekit.migrations")
    parser.add_argument("action", choices=["upgrade", "revision", "heads"])
    parser.add_argument("service", help="service package, e.g. leads or gateway")
    parser.add_argument("-m", "--message", default="change")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--branch", default=None, help="branch label of a first revision")
    args = parser.parse_args(argv)
    spec = importlib.import_module(f"{args.service}.main").SPEC
    if not args.database_url:
        parser.error("--database-url or DATABASE_URL is required")
    versions = Path(spec.migrations)
    if args.service == "servicekit":
        versions = KIT_VERSIONS
    cfg = alembic_config(args.database_url, versions, spec.metadata)
    if args.action == "upgrade":
        command.upgrade(cfg, "heads")
    elif args.action == "heads":
        command.heads(cfg)
    else:
        head = None if args.branch else f"{args.service}@head"
        command.revision(
            cfg,
            message=args.message,
            autogenerate=True,
            head=head or "base",
            branch_label=args.branch,
            version_path=str(versions),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
