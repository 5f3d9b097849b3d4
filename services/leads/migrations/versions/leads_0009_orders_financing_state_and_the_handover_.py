"""orders financing state and the handover loan override

Orders placed before this revision stay ``financed = false``: no loan application was opened for
them, so holding their handover would hold it for ever.

Revision ID: leads_0009
Revises: leads_0008
Create Date: 2026-12-02 18:41:50.972243
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "leads_0009"
down_revision: str | None = "leads_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "deliveries",
        sa.Column(
            "loan_override_reason",
            sa.Text(),
            nullable=True,
            comment="FIN-3: handed over before the lender approved, why",
        ),
    )
    op.add_column("deliveries", sa.Column("loan_override_by", sa.Text(), nullable=True))
    op.add_column(
        "orders",
        sa.Column("financed", sa.Boolean(), server_default="false", nullable=False, comment="quoted with a car loan"),
    )
    op.add_column(
        "orders",
        sa.Column(
            "loan_state", sa.Text(), nullable=True, comment="FIN-3: the loan's last step from the F&I office's events"
        ),
    )
    op.add_column("orders", sa.Column("loan_application_id", sa.Text(), nullable=True))
    op.add_column(
        "orders",
        sa.Column(
            "loan_state_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="when that step happened (later steps win)",
        ),
    )
    op.add_column(
        "orders",
        sa.Column(
            "approved_loan",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="lender and handling fee as approved",
        ),
    )


def downgrade() -> None:
    op.drop_column("orders", "approved_loan")
    op.drop_column("orders", "loan_state_at")
    op.drop_column("orders", "loan_application_id")
    op.drop_column("orders", "loan_state")
    op.drop_column("orders", "financed")
    op.drop_column("deliveries", "loan_override_by")
    op.drop_column("deliveries", "loan_override_reason")
