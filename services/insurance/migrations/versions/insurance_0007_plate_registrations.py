"""plate registrations

Revision ID: insurance_0007
Revises: insurance_0006
Create Date: 2026-12-02 19:00:03.649975
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "insurance_0007"
down_revision: str | None = "insurance_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registrations",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("delivery_id", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=True),
        sa.Column("vin", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=False),
        sa.Column("customer_name", sa.Text(), nullable=False),
        sa.Column("customer_mobile", sa.Text(), nullable=False),
        sa.Column("consultant_no", sa.Text(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False, comment="REG-1: the temporary plate's last day"),
        sa.Column("financed", sa.Boolean(), nullable=False, comment="sold with a loan: mortgage and notary follow"),
        sa.Column("lender", sa.Text(), nullable=True),
        sa.Column("state", sa.Text(), server_default="open", nullable=False),
        sa.Column(
            "appointment_at", sa.DateTime(timezone=True), nullable=True, comment="at the vehicle administration office"
        ),
        sa.Column("office", sa.Text(), nullable=True),
        sa.Column("plate", sa.Text(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("notarised_on", sa.Date(), nullable=True),
        sa.Column("mortgage_registered_on", sa.Date(), nullable=True),
        sa.Column("specialist_no", sa.Text(), nullable=True, comment="who registered it"),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("delivery_id"),
    )
    op.create_index(op.f("ix_registrations_vin"), "registrations", ["vin"], unique=False)
    op.create_index("registrations_by_state", "registrations", ["state", "due_on"], unique=False)
    op.create_index("registrations_by_time", "registrations", ["created_at", "id"], unique=False)
    op.create_table(
        "registration_documents",
        sa.Column("registration_id", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("received", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
        ),
        sa.PrimaryKeyConstraint("registration_id", "code"),
    )


def downgrade() -> None:
    op.drop_table("registration_documents")
    op.drop_index("registrations_by_time", table_name="registrations")
    op.drop_index("registrations_by_state", table_name="registrations")
    op.drop_index(op.f("ix_registrations_vin"), table_name="registrations")
    op.drop_table("registrations")
