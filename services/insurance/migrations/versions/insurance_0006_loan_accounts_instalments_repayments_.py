"""loan accounts, instalments, repayments, after-loan tasks; financed deliveries

Revision ID: insurance_0006
Revises: insurance_0005
Create Date: 2026-12-02 18:52:16.917819
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "insurance_0006"
down_revision: str | None = "insurance_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loan_accounts",
        sa.Column("application_id", sa.Text(), nullable=False, comment="the loan application paid out"),
        sa.Column("lender", sa.Text(), nullable=False),
        sa.Column("lender_key", sa.Text(), nullable=False, comment="the lender lower-cased: how its API key names it"),
        sa.Column("contract_no", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=True),
        sa.Column("vin", sa.Text(), nullable=True),
        sa.Column("specialist_no", sa.Text(), nullable=True),
        sa.Column("watch", sa.Boolean(), nullable=False, comment="on the after-loan watch list (FIN-5)"),
        sa.Column("principal", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("annual_rate", sa.Numeric(precision=6, scale=5), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("first_due_on", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("application_id"),
        sa.UniqueConstraint("lender_key", "contract_no", name="loan_accounts_contract"),
    )
    op.create_index("loan_accounts_by_specialist", "loan_accounts", ["specialist_no"], unique=False)
    op.create_table(
        "loan_repayments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("partner", sa.Text(), nullable=False, comment="the API key's partner that pushed it"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("application_id", "number", name="loan_repayments_once"),
    )
    op.create_table(
        "loan_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False, comment="the instalment"),
        sa.Column("kind", sa.Text(), nullable=False, comment="reminder (FIN-5) | collection (FIN-6)"),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column(
            "level", sa.Integer(), server_default="0", nullable=False, comment="FIN-6: 0 the specialist's, 1+ escalated"
        ),
        sa.Column("escalated_on", sa.Date(), nullable=True),
        sa.Column(
            "assignee_no",
            sa.Text(),
            nullable=True,
            comment="the specialist; none once escalated to the finance manager",
        ),
        sa.Column("state", sa.Text(), server_default="open", nullable=False, comment="open | done"),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("application_id", "number", "kind", name="loan_tasks_once"),
    )
    op.create_index("loan_tasks_open", "loan_tasks", ["state", "kind", "opened_on"], unique=False)
    op.create_table(
        "loan_instalments",
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("payment", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("principal", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("interest", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("balance_after", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid_amount", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True, comment="when it was paid in full"),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["loan_accounts.application_id"],
        ),
        sa.PrimaryKeyConstraint("application_id", "number"),
    )
    op.create_index(
        "loan_instalments_unpaid_by_due",
        "loan_instalments",
        ["due_on", "application_id", "number"],
        unique=False,
        postgresql_where=sa.text("paid_on IS NULL"),
    )
    op.add_column(
        "new_car_sales",
        sa.Column(
            "loan_lender",
            sa.Text(),
            nullable=True,
            comment="financed: the lender (the loan penetration of deliveries, FIN-7)",
        ),
    )
    op.add_column(
        "new_car_sales",
        sa.Column(
            "loan_fee",
            sa.Numeric(precision=14, scale=2),
            nullable=True,
            comment="the loan's handling fee the delivery carried",
        ),
    )


def downgrade() -> None:
    op.drop_column("new_car_sales", "loan_fee")
    op.drop_column("new_car_sales", "loan_lender")
    op.drop_index(
        "loan_instalments_unpaid_by_due", table_name="loan_instalments", postgresql_where=sa.text("paid_on IS NULL")
    )
    op.drop_table("loan_instalments")
    op.drop_index("loan_tasks_open", table_name="loan_tasks")
    op.drop_table("loan_tasks")
    op.drop_table("loan_repayments")
    op.drop_index("loan_accounts_by_specialist", table_name="loan_accounts")
    op.drop_table("loan_accounts")
