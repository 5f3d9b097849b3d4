from sqlalchemy import Column, DateTime, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from marketing.tables import metadata

oem_reports = Table(
    "oem_reports",
    metadata,
    Column("month", Text, primary_key=True, comment="the month summarised; the plan is of the month after"),
    Column("content", JSONB, nullable=False),
    Column("generated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
