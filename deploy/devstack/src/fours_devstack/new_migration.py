"""``make migration SERVICE=leads MESSAGE="add leads"``: autogenerate the next revision of a service's
chain against a throwaway embedded PostgreSQL brought up to the current heads."""

import argparse
import importlib
import re
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from servicekit.migrations import alembic_config

from fours_devstack.postgres import EmbeddedPostgres, database_url, ensure_databases


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m fours_devstack.new_migration")
    parser.add_argument("service")
    parser.add_argument("-m", "--message", required=True)
    args = parser.parse_args()
    spec = importlib.import_module(f"{args.service}.main").SPEC
    existing = sorted(spec.migrations.glob(f"{args.service}_*.py"))
    number = 1 + max(
        (int(m.group(1)) for p in existing if (m := re.match(rf"{args.service}_(\d+)", p.name))), default=0
    )
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedPostgres(Path(tmp) / "pg", delete_on_stop=True)
        url = server.start()
        try:
            ensure_databases(url, [args.service])
            cfg = alembic_config(database_url(url, args.service), spec.migrations, spec.metadata)
            command.upgrade(cfg, "heads")
            first = args.service not in {
                label for rev in ScriptDirectory.from_config(cfg).walk_revisions() for label in rev.branch_labels
            }
            command.revision(
                cfg,
                message=args.message,
                autogenerate=True,
                head="base" if first else f"{args.service}@head",
                branch_label=args.service if first else None,
                version_path=str(spec.migrations),
                rev_id=f"{args.service}_{number:04d}",
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
