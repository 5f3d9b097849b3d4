from sqlalchemy import Column, DateTime, Table, Text, func

from gateway.tables import metadata

gateway_replicas = Table(
    "gateway_replicas",
    metadata,
    Column("id", Text, primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
