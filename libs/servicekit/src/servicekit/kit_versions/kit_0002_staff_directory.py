"""staff directory: the read copy of payroll's staff, shared by every service

Revision ID: kit_0002
Revises: kit_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "kit_0002"
down_revision: str | None = "kit_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_directory",
        sa.Column("employee_no", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("team", sa.Text(), nullable=True),
        sa.Column("hired_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("employee_no"),
    )


def downgrade() -> None:
    op.drop_table("staff_directory")
