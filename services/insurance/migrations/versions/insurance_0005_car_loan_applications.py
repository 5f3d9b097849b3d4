"""car loan applications (FIN-1..4), the default document checklist and the decline reasons

Revision ID: insurance_0005
Revises: insurance_0004
Create Date: 2026-12-02 18:40:21.747520
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "insurance_0005"
down_revision: str | None = "insurance_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The starting lists (the store edits them): as in insurance.loans.rules, written out here because a
# migration does not change when the code does.
DOCUMENTS = [
    ("id_card", "身份证 ID card", True),
    ("household", "户口簿或居住证 household register or residence permit", True),
    ("income", "收入证明 proof of income", True),
    ("bank_statements", "银行流水 bank statements (6 months)", True),
    ("marriage", "婚姻状况证明 marriage status", True),
    ("driving_licence", "驾驶证 driving licence", False),
]
DECLINE_REASONS = [
    ("income_insufficient", "收入不足 income too low for the instalment"),
    ("credit_record", "征信不良 poor credit record"),
    ("debt_ratio", "负债过高 too much existing debt"),
    ("documents_false", "资料不实 documents did not hold up"),
    ("lender_policy", "银行政策 outside the lender's policy"),
    ("other", "其他 other"),
]


def upgrade() -> None:
    op.create_table(
        "loan_applications",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=False),
        sa.Column("consultant_no", sa.Text(), nullable=False),
        sa.Column("vin", sa.Text(), nullable=True),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("lender", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("down_payment", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column(
            "annual_rate",
            sa.Numeric(precision=6, scale=5),
            nullable=True,
            comment="as applied for; the lender's own at approval",
        ),
        sa.Column("handling_fee", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "guarantor",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="name, mobile, relation (反担保人)",
        ),
        sa.Column("state", sa.Text(), server_default="draft", nullable=False),
        sa.Column("specialist_no", sa.Text(), nullable=True, comment="the finance specialist handling it"),
        sa.Column(
            "risk_outcome", sa.Text(), nullable=True, comment="the risk desk's last review: pass | refer | reject"
        ),
        sa.Column("watch", sa.Boolean(), server_default="false", nullable=False, comment="flagged for after-loan care"),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("approved_rate", sa.Numeric(precision=6, scale=5), nullable=True),
        sa.Column("approved_term", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True, comment="approved or declined"),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=True),
        sa.Column("contract_no", sa.Text(), nullable=True, comment="the lender's loan contract, from the payout"),
        sa.Column("disbursed_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("disbursed_on", sa.Date(), nullable=True),
        sa.Column("first_due_on", sa.Date(), nullable=True),
        sa.Column("mortgage_registered_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("loan_applications_by_customer", "loan_applications", ["customer_id"], unique=False)
    op.create_index("loan_applications_by_specialist", "loan_applications", ["specialist_no", "state"], unique=False)
    op.create_index("loan_applications_by_time", "loan_applications", ["created_at", "id"], unique=False)
    op.create_index(
        "loan_applications_lender_contract",
        "loan_applications",
        ["lender", "contract_no"],
        unique=True,
        postgresql_where=sa.text("contract_no IS NOT NULL"),
    )
    op.create_index(
        "loan_applications_one_open_per_order",
        "loan_applications",
        ["order_id"],
        unique=True,
        postgresql_where=sa.text("state NOT IN ('declined', 'withdrawn')"),
    )
    op.create_table(
        "loan_decline_reasons",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "loan_document_lists",
        sa.Column("lender", sa.Text(), nullable=False, comment="default: the list of a lender without its own"),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lender", "code"),
    )
    op.create_table(
        "loan_orders",
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=False),
        sa.Column("consultant_no", sa.Text(), nullable=False),
        sa.Column("vin", sa.Text(), nullable=True),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id"),
        comment="read copy of the orders leads placed (order.placed): what an application is opened for",
    )
    op.create_table(
        "loan_documents",
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("received", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["loan_applications.id"],
        ),
        sa.PrimaryKeyConstraint("application_id", "code"),
        comment="the lender's checklist as it was when the application opened, ticked off",
    )
    op.create_table(
        "loan_risk_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("credit_check", sa.Text(), nullable=True, comment="the credit bureau's result (资信调查)"),
        sa.Column(
            "home_visit",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="家访: visited_on, visited_by, findings",
        ),
        sa.Column(
            "counter_guarantees",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
            comment="反担保 measures",
        ),
        sa.Column("watch", sa.Boolean(), nullable=False),
        sa.Column("reviewed_by", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["loan_applications.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_loan_risk_reviews_application_id"), "loan_risk_reviews", ["application_id"], unique=False)
    op.create_table(
        "loan_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("from_state", sa.Text(), nullable=True),
        sa.Column("to_state", sa.Text(), nullable=False),
        sa.Column("facts", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["loan_applications.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_loan_steps_application_id"), "loan_steps", ["application_id"], unique=False)
    lists = sa.table(
        "loan_document_lists",
        sa.column("lender", sa.Text),
        sa.column("code", sa.Text),
        sa.column("label", sa.Text),
        sa.column("required", sa.Boolean),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(
        lists,
        [
            {"lender": "default", "code": code, "label": label, "required": required, "position": n}
            for n, (code, label, required) in enumerate(DOCUMENTS)
        ],
    )
    reasons = sa.table("loan_decline_reasons", sa.column("code", sa.Text), sa.column("label", sa.Text))
    op.bulk_insert(reasons, [{"code": code, "label": label} for code, label in DECLINE_REASONS])


def downgrade() -> None:
    op.drop_index(op.f("ix_loan_steps_application_id"), table_name="loan_steps")
    op.drop_table("loan_steps")
    op.drop_index(op.f("ix_loan_risk_reviews_application_id"), table_name="loan_risk_reviews")
    op.drop_table("loan_risk_reviews")
    op.drop_table("loan_documents")
    op.drop_table("loan_orders")
    op.drop_table("loan_document_lists")
    op.drop_table("loan_decline_reasons")
    op.drop_index(
        "loan_applications_one_open_per_order",
        table_name="loan_applications",
        postgresql_where=sa.text("state NOT IN ('declined', 'withdrawn')"),
    )
    op.drop_index(
        "loan_applications_lender_contract",
        table_name="loan_applications",
        postgresql_where=sa.text("contract_no IS NOT NULL"),
    )
    op.drop_index("loan_applications_by_time", table_name="loan_applications")
    op.drop_index("loan_applications_by_specialist", table_name="loan_applications")
    op.drop_index("loan_applications_by_customer", table_name="loan_applications")
    op.drop_table("loan_applications")
