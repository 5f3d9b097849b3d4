from sqlalchemy import Column, DateTime, Index, Integer, Table, Text, func

from aftersales.tables import metadata

complaints = Table(
    "complaints",
    metadata,
    Column("id", Text, primary_key=True),
    Column("vin", Text),
    Column("customer_name", Text),
    Column("customer_mobile", Text),
    Column("source", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("follow_up_id", Text),
    Column("repair_order_id", Text),
    Column("state", Text, nullable=False, server_default="open"),
    Column("assignee_no", Text),
    Column("escalated_to", Text),
    Column("resolution", Text),
    Column("callback_notes", Text),
    Column("callbacks", Integer, nullable=False, server_default="0"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("resolved_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
)
Index("complaints_by_state", complaints.c.state, complaints.c.created_at)
Index("complaints_by_vin", complaints.c.vin)
