"""closed months; every cancellation claws back

Payroll months close when their run locks (``closed_months``, filled from the locked runs). A
cancellation now always claws back in the first open month from its own, as a line of its own
(PAY-11): sales cancelled before their month locked get that month now.

Revision ID: payroll_0006
Revises: payroll_0005
Create Date: 2026-12-01 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payroll_0006"
down_revision: str | None = "payroll_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "closed_months",
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Text(), nullable=False),
        sa.Column("closed_by", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("month"),
    )
    op.execute(
        "INSERT INTO closed_months (month, run_id, closed_by, closed_at) "
        "SELECT month, id, coalesce(locked_by, created_by), coalesce(locked_at, now()) "
        "FROM payroll_runs WHERE state = 'locked'"
    )
    # the first month from the cancellation's that is not closed
    op.execute(
        """
        UPDATE car_sales s SET clawback_month = (
            SELECT min(to_char(m, 'YYYY-MM'))
            FROM generate_series(to_date(s.cancel_month || '-01', 'YYYY-MM-DD'),
                                 to_date(s.cancel_month || '-01', 'YYYY-MM-DD') + interval '20 years',
                                 interval '1 month') AS m
            WHERE to_char(m, 'YYYY-MM') NOT IN (SELECT month FROM closed_months)
        )
        WHERE s.cancelled_event_id IS NOT NULL AND s.clawback_month IS NULL
        """
    )
    op.create_index("car_sales_by_counted_month", "car_sales", ["counted_month"], unique=False)
    op.create_index("car_sales_by_clawback_month", "car_sales", ["clawback_month"], unique=False)


def downgrade() -> None:
    op.drop_index("car_sales_by_clawback_month", table_name="car_sales")
    op.drop_index("car_sales_by_counted_month", table_name="car_sales")
    op.drop_table("closed_months")
