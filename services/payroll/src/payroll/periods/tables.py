from sqlalchemy import Column, DateTime, Table, Text, func

from payroll.tables import metadata

closed_months = Table(
    "closed_months",
    metadata,
    Column("month", Text, primary_key=True),
    Column("run_id", Text, nullable=False),
    Column("closed_by", Text, nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
