"""the station's yearly targets; repair orders found by reception and handover time

Revision ID: aftersales_0012
Revises: aftersales_0011
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aftersales_0012"
down_revision: str | None = "aftersales_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workshop_targets",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("routine", sa.Numeric(14, 2), nullable=False, comment="日常维修(含保修): the year's routine output"),
        sa.Column("accident", sa.Numeric(14, 2), nullable=False, comment="事故车: the year's accident output"),
        sa.Column("stretch_routine", sa.Numeric(14, 2), nullable=False),
        sa.Column("stretch_accident", sa.Numeric(14, 2), nullable=False),
        sa.Column("csi", sa.Numeric(6, 1), nullable=False, comment="on the 1000-point scale"),
        sa.Column("survey", sa.Numeric(5, 1), nullable=False, comment="the ten-item survey, on its 100-point scale"),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("repair_orders_by_opening", "repair_orders", ["opened_at"])
    op.create_index("repair_orders_by_handover", "repair_orders", ["handed_over_at"])


def downgrade() -> None:
    op.drop_index("repair_orders_by_handover", table_name="repair_orders")
    op.drop_index("repair_orders_by_opening", table_name="repair_orders")
    op.drop_table("workshop_targets")
