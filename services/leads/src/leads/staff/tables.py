from sqlalchemy import Column, Date, DateTime, Table, Text, func

from leads.tables import metadata

staff = Table(
    "staff",
    metadata,
    Column("employee_no", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("team", Text),
    Column("hired_on", Date, nullable=False),
    Column("left_on", Date),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
