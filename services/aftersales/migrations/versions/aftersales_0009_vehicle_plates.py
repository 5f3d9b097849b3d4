"""a car's number plate, found at reception

Revision ID: aftersales_0009
Revises: aftersales_0008
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aftersales_0009"
down_revision: str | None = "aftersales_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("vehicles", sa.Column("plate", sa.Text()))
    # a plate is on one car at a time
    op.create_index(
        "vehicles_by_plate", "vehicles", ["plate"], unique=True, postgresql_where=sa.text("plate IS NOT NULL")
    )


def downgrade() -> None:
    op.drop_index("vehicles_by_plate", table_name="vehicles")
    op.drop_column("vehicles", "plate")
