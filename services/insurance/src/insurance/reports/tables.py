from sqlalchemy import Column, Date, DateTime, Table, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB

from insurance.tables import metadata

insurance_reports = Table(
    "insurance_reports",
    metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("content", JSONB, nullable=False),
    Column("generated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("kind", "period_start", name="insurance_reports_once"),
)

commission_statements = Table(
    "commission_statements",
    metadata,
    Column("id", Text, primary_key=True),
    Column("insurer", Text, nullable=False),
    Column("month", Text, nullable=False),
    Column("lines", JSONB, nullable=False, comment="[{policy_no, amount}] as the insurer's statement lists them"),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("insurer", "month", name="commission_statements_once"),
)
