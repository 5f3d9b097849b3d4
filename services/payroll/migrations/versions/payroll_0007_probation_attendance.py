"""probation and attendance (PAY-1)

Revision ID: payroll_0007
Revises: payroll_0006
Create Date: 2026-12-01 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payroll_0007"
down_revision: str | None = "payroll_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "employees",
        sa.Column(
            "probation_until",
            sa.Date(),
            nullable=True,
            comment="the last day of probation: a probationer gets the post wage only (PAY-1)",
        ),
    )
    op.create_table(
        "attendance",
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("employee_no", sa.Text(), nullable=False),
        sa.Column("days_worked", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("days_scheduled", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("set_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("month", "employee_no"),
        comment="PAY-1: post and seniority wage follow attendance; a month without a row is a full month",
    )


def downgrade() -> None:
    op.drop_table("attendance")
    op.drop_column("employees", "probation_until")
