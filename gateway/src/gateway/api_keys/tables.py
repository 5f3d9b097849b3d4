from sqlalchemy import ARRAY, Column, DateTime, Integer, Table, Text, func

from gateway.tables import metadata

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("partner", Text, nullable=False),
    Column("scopes", ARRAY(Text), nullable=False),
    Column("key_hash", Text, nullable=False),
    Column("rate_per_minute", Integer),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)
