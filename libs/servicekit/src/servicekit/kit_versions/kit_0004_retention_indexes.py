"""retention: BRIN indexes by time on the outbox, inbox, due jobs and Idempotency-Keys; a due job's traceparent

Revision ID: kit_0004
Revises: kit_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "kit_0004"
down_revision: str | None = "kit_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("outbox_created_brin", "outbox", "created_at"),
    ("inbox_processed_brin", "inbox", "processed_at"),
    ("due_jobs_done_brin", "due_jobs", "done_at"),
    ("idempotency_keys_created_brin", "idempotency_keys", "created_at"),
]


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], postgresql_using="brin")
    op.add_column(
        "due_jobs",
        sa.Column("traceparent", sa.Text(), comment="W3C Trace Context of what planned it (servicekit.tracing)"),
    )


def downgrade() -> None:
    op.drop_column("due_jobs", "traceparent")
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table, postgresql_using="brin")
