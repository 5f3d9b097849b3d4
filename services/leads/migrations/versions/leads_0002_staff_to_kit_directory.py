"""leads' own staff copy moves to the kit's staff directory

Revision ID: leads_0002
Revises: leads_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "leads_0002"
down_revision: str | None = "leads_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "kit_0002"


def upgrade() -> None:
    op.execute(
        "INSERT INTO staff_directory (employee_no, name, role, team, hired_on, left_on, event_time) "
        "SELECT employee_no, name, role, team, hired_on, left_on, updated_at FROM staff "
        "ON CONFLICT (employee_no) DO NOTHING"
    )
    op.drop_table("staff")


def downgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("employee_no", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("team", sa.Text(), nullable=True),
        sa.Column("hired_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("employee_no"),
    )
