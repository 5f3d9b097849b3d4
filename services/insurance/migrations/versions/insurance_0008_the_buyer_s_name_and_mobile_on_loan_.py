"""the buyer's name and mobile on loan applications

Revision ID: insurance_0008
Revises: insurance_0007
Create Date: 2026-12-02 19:10:23.618481
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "insurance_0008"
down_revision: str | None = "insurance_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("loan_applications", sa.Column("customer_name", sa.Text(), nullable=True))
    op.add_column("loan_applications", sa.Column("customer_mobile", sa.Text(), nullable=True))
    op.add_column("loan_orders", sa.Column("customer_name", sa.Text(), nullable=True))
    op.add_column("loan_orders", sa.Column("customer_mobile", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("loan_orders", "customer_mobile")
    op.drop_column("loan_orders", "customer_name")
    op.drop_column("loan_applications", "customer_mobile")
    op.drop_column("loan_applications", "customer_name")
