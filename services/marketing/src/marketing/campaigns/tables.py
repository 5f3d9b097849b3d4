from sqlalchemy import Column, DateTime, ForeignKey, Integer, Numeric, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from marketing.tables import metadata

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", Text, primary_key=True),
    Column("code", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("form", Text, nullable=False),
    Column("month", Text, nullable=False, index=True),
    Column("budget", Numeric(14, 2), nullable=False),
    Column("plan", JSONB, nullable=False),
    Column("review", JSONB, comment="MKT-5 after-action review"),
    Column("reviewed_by", Text),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

spends = Table(
    "spends",
    metadata,
    Column("id", Text, primary_key=True),
    Column("campaign_id", Text, ForeignKey("campaigns.id"), nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("description", Text, nullable=False),
    Column("overrun_approved_by", Text),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
