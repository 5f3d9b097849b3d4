"""plate fee and settlement of car sales (PAY-9)

Revision ID: payroll_0008
Revises: payroll_0007
Create Date: 2026-12-02 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payroll_0008"
down_revision: str | None = "payroll_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("car_sales", sa.Column("plate_fee", sa.Numeric(precision=14, scale=2), nullable=True))
    op.add_column("car_sales", sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("car_sales", sa.Column("settled_month", sa.Text(), nullable=True))
    op.add_column("car_sales", sa.Column("settle_counted_month", sa.Text(), nullable=True))
    op.create_index("car_sales_by_settle_counted_month", "car_sales", ["settle_counted_month"], unique=False)


def downgrade() -> None:
    op.drop_index("car_sales_by_settle_counted_month", table_name="car_sales")
    op.drop_column("car_sales", "settle_counted_month")
    op.drop_column("car_sales", "settled_month")
    op.drop_column("car_sales", "settled_at")
    op.drop_column("car_sales", "plate_fee")
