from sqlalchemy import Column, Date, DateTime, Index, Integer, Table, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB

from aftersales.tables import metadata

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("vin", Text, nullable=False),
    Column("source_id", Text, nullable=False),
    Column("source_event_id", Text, nullable=False),
    Column("handed_over_at", DateTime(timezone=True), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", Text, nullable=False, server_default="open"),
    Column("staff_no", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("outcome", Text),
    Column("scores", JSONB),
    Column("comments", Text),
    Column("caller", Text),
    Column("called_at", DateTime(timezone=True)),
    Column("complaint_id", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("kind", "source_id", name="follow_ups_once_per_handover"),
)
Index("follow_ups_by_vin", follow_ups.c.vin, follow_ups.c.due_date)
Index("follow_ups_by_due", follow_ups.c.status, follow_ups.c.due_date)
