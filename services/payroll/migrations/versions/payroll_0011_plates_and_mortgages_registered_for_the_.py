"""plates and mortgages registered for the cars

Revision ID: payroll_0011
Revises: payroll_0010
Create Date: 2026-12-02 19:05:29.832678
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payroll_0011"
down_revision: str | None = "payroll_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registrations_done",
        sa.Column("event_id", sa.Text(), nullable=False, comment="the vehicle.registered / vehicle.mortgaged event"),
        sa.Column("kind", sa.Text(), nullable=False, comment="plate (上牌) | mortgage (上户公证抵押)"),
        sa.Column("delivery_id", sa.Text(), nullable=False),
        sa.Column("vin", sa.Text(), nullable=False),
        sa.Column("consultant_no", sa.Text(), nullable=False, comment="who sold the car"),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("counted_month", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(op.f("ix_registrations_done_counted_month"), "registrations_done", ["counted_month"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_registrations_done_counted_month"), table_name="registrations_done")
    op.drop_table("registrations_done")
