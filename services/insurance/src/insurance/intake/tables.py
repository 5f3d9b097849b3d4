from sqlalchemy import BigInteger, Column, DateTime, Integer, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from insurance.tables import metadata

intake_batches = Table(
    "intake_batches",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("partner", Text, nullable=False, index=True),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("items", Integer, nullable=False),
    Column("counts", JSONB, nullable=False),
    Column("request_id", Text),
)
