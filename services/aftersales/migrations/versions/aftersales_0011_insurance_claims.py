"""insurance claims of accident repairs

Revision ID: aftersales_0011
Revises: aftersales_0010
Create Date: 2026-12-02 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aftersales_0011"
down_revision: str | None = "aftersales_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "insurance_claims",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("repair_order_id", sa.Text(), nullable=False),
        sa.Column("vin", sa.Text(), nullable=False),
        sa.Column("advisor_no", sa.Text(), nullable=False),
        sa.Column("insurer", sa.Text(), nullable=False),
        sa.Column("claim_no", sa.Text(), nullable=False, comment="the insurer's own number of the claim (报案号)"),
        sa.Column(
            "referred",
            sa.Boolean(),
            nullable=False,
            server_default="false",
            comment="保险推修: the insurer sent the car",
        ),
        sa.Column("state", sa.Text(), nullable=False, server_default="reported"),
        sa.Column("assessed_amount", sa.Numeric(14, 2)),
        sa.Column("assessed_on", sa.Date()),
        sa.Column("assessor", sa.Text()),
        sa.Column("excess", sa.Numeric(14, 2), comment="what the customer pays (免赔额)"),
        sa.Column("insurer_amount", sa.Numeric(14, 2), comment="what the insurer pays: the assessment less the excess"),
        sa.Column("paid_amount", sa.Numeric(14, 2)),
        sa.Column("paid_on", sa.Date()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("repair_order_id", name="insurance_claims_one_per_repair_order"),
        sa.UniqueConstraint("insurer", "claim_no", name="insurance_claims_insurer_number"),
    )
    op.create_index("insurance_claims_by_insurer", "insurance_claims", ["insurer", "state"])
    op.create_index("insurance_claims_by_time", "insurance_claims", ["created_at", "id"])


def downgrade() -> None:
    op.drop_table("insurance_claims")
