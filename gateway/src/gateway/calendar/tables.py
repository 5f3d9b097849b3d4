from sqlalchemy import Column, Date, DateTime, Integer, Table, Text, func
from sqlalchemy.dialects.postgresql import ARRAY

from gateway.tables import metadata

store_calendars = Table(
    "store_calendars",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("holidays", ARRAY(Date), nullable=False),
    Column("working_days", ARRAY(Date), nullable=False),
    Column("source", Text, nullable=False),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("version", Integer, nullable=False, server_default="1"),
)
