from sqlalchemy import Column, DateTime, Index, Table, Text, func

from insurance.tables import metadata

sms_messages = Table(
    "sms_messages",
    metadata,
    Column("id", Text, primary_key=True),
    Column("mobile", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("ref", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="queued"),
    Column("provider", Text),
    Column("provider_ref", Text),
    Column("queued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
)
Index("sms_by_ref", sms_messages.c.ref)
