"""stock counts and counter sales listed by time

Revision ID: aftersales_0008
Revises: aftersales_0007
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "aftersales_0008"
down_revision: str | None = "aftersales_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("parts_sales_by_time", "parts_sales", ["sold_at", "id"])
    op.create_index("stock_counts_by_time", "stock_counts", ["counted_at", "id"])


def downgrade() -> None:
    op.drop_index("stock_counts_by_time", table_name="stock_counts")
    op.drop_index("parts_sales_by_time", table_name="parts_sales")
