"""warranty claims to the manufacturer, their lines and its answers

Revision ID: aftersales_0010
Revises: aftersales_0009
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aftersales_0010"
down_revision: str | None = "aftersales_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warranty_claims",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column(
            "repair_order_id",
            sa.Text(),
            comment="the warranty repair order; none for a stock car damaged in transit",
        ),
        sa.Column("vin", sa.Text(), nullable=False),
        sa.Column("fault_code", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False, server_default="draft"),
        sa.Column("repaired_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False, comment="CLM-2: the last day to submit"),
        sa.Column("submissions", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("first_submitted_on", sa.Date()),
        sa.Column("claimed_amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("approved_amount", sa.Numeric(14, 2)),
        sa.Column("paid_amount", sa.Numeric(14, 2)),
        sa.Column("paid_on", sa.Date()),
        sa.Column("rejection_reason", sa.Text()),
        sa.Column("clerk_no", sa.Text(), nullable=False, comment="who files it: the warranty clerk's employee number"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("repair_order_id", name="warranty_claims_one_per_repair_order"),
    )
    op.create_index("warranty_claims_by_state", "warranty_claims", ["state", "due_on"])
    op.create_index("warranty_claims_by_time", "warranty_claims", ["created_at", "id"])
    op.create_table(
        "warranty_claim_lines",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("claim_id", sa.Text(), sa.ForeignKey("warranty_claims.id"), nullable=False),
        sa.Column(
            "kind", sa.Text(), nullable=False, comment="labour (hours at the OEM rate) or part (at the OEM price)"
        ),
        sa.Column("part_no", sa.Text()),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Numeric(10, 2), nullable=False),
        sa.Column("unit_price", sa.Numeric(14, 2), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
    )
    op.create_index("ix_warranty_claim_lines_claim_id", "warranty_claim_lines", ["claim_id"])
    op.create_table(
        "warranty_claim_answers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.Text(), sa.ForeignKey("warranty_claims.id"), nullable=False),
        sa.Column("submission", sa.Integer(), nullable=False, comment="which submission it answers: 1 = the first"),
        sa.Column("outcome", sa.Text(), nullable=False, comment="accepted | rejected | paid"),
        sa.Column("reason", sa.Text()),
        sa.Column("amount", sa.Numeric(14, 2)),
        sa.Column(
            "decision_ref",
            sa.Text(),
            comment="the manufacturer's id of its answer (a batch item replayed is one answer)",
        ),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.UniqueConstraint("claim_id", "decision_ref", name="warranty_claim_answers_once"),
    )
    op.create_index("warranty_claim_answers_by_time", "warranty_claim_answers", ["answered_at"])


def downgrade() -> None:
    op.drop_table("warranty_claim_answers")
    op.drop_table("warranty_claim_lines")
    op.drop_table("warranty_claims")
