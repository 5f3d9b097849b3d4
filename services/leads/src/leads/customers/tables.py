from sqlalchemy import Column, DateTime, Table, Text, func
from sqlalchemy.dialects.postgresql import UUID

from leads.tables import metadata

customers = Table(
    "customers",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("name", Text, nullable=False),
    Column("mobile", Text, nullable=False, unique=True),
    Column("owner_no", Text),
    Column("company", Text),
    Column("owner_called_at", DateTime(timezone=True)),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
