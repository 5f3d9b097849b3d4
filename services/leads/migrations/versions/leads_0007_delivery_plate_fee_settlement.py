"""a delivery's plate fee and settlement (PAY-9)

Revision ID: leads_0007
Revises: leads_0006
Create Date: 2026-12-02 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "leads_0007"
down_revision: str | None = "leads_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("plate_fee", sa.Numeric(precision=14, scale=2), nullable=True))
    op.add_column(
        "deliveries",
        sa.Column(
            "settled_at", sa.DateTime(timezone=True), nullable=True, comment="the sale's settlement completed (PAY-9)"
        ),
    )


def downgrade() -> None:
    op.drop_column("deliveries", "settled_at")
    op.drop_column("deliveries", "plate_fee")
