"""the customer's used car taken in with the sale (二手车置换)

Revision ID: leads_0008
Revises: leads_0007
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "leads_0008"
down_revision: str | None = "leads_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "quotes",
        sa.Column(
            "trade_in",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="the customer's used car the store takes in (二手车置换)",
        ),
    )
    op.add_column("deliveries", sa.Column("trade_in", postgresql.JSONB(astext_type=sa.Text()), nullable=True))


def downgrade() -> None:
    op.drop_column("deliveries", "trade_in")
    op.drop_column("quotes", "trade_in")
