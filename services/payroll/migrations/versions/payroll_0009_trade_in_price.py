"""the trade-in taken with a car sale (PAY-9's used-car commission)

Revision ID: payroll_0009
Revises: payroll_0008
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payroll_0009"
down_revision: str | None = "payroll_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("car_sales", sa.Column("trade_in_price", sa.Numeric(precision=14, scale=2), nullable=True))


def downgrade() -> None:
    op.drop_column("car_sales", "trade_in_price")
