from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, Table, Text, func

from gateway.tables import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor", Text, nullable=False),
    Column("actor_kind", Text, nullable=False),
    Column("role", Text),
    Column("method", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("request_id", Text),
)
Index("audit_log_by_actor", audit_log.c.actor, audit_log.c.id)
