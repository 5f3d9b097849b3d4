from sqlalchemy import Column, DateTime, PrimaryKeyConstraint, Table, Text, func

from aftersales.tables import metadata

home_visits = Table(
    "home_visits",
    metadata,
    Column("month", Text, nullable=False),
    Column("vin", Text, nullable=False),
    Column("owner_name", Text, nullable=False),
    Column("owner_mobile", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="planned"),
    Column("notes", Text),
    Column("visited_at", DateTime(timezone=True)),
    Column("drawn_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("month", "vin"),
)
