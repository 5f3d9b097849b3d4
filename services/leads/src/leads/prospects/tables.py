from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, Numeric, Table, Text, func

from leads.tables import metadata

leads = Table(
    "leads",
    metadata,
    Column("id", Text, primary_key=True),
    Column("customer_id", Text, nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("channel", Text),
    Column("campaign_code", Text),
    Column("model", Text),
    Column("budget", Numeric(14, 2)),
    Column("owner_no", Text),
    Column("state", Text, nullable=False, server_default="new"),
    Column("lost_reason", Text),
    Column("lost_note", Text),
    Column("lost_at", DateTime(timezone=True)),
    Column("next_follow_up", Date),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("leads_by_owner_state", leads.c.owner_no, leads.c.state)
Index("leads_by_created", leads.c.created_at)

lost_reasons = Table(
    "lost_reasons",
    metadata,
    Column("code", Text, primary_key=True),
    Column("label", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

lead_contacts = Table(
    "lead_contacts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("lead_id", Text, nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("next_follow_up", Date),
    Column("by", Text, nullable=False),
    Column("by_no", Text),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("lead_contacts_by_at", lead_contacts.c.at)

visits = Table(
    "visits",
    metadata,
    Column("id", Text, primary_key=True),
    Column("customer_id", Text, nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("received_by", Text, nullable=False),
    Column("booked_by", Text),
    Column("asked_for", Text),
    Column("owner_before", Text),
    Column("owner_after", Text),
    Column("reason", Text, nullable=False),
    Column("recorded_by", Text, nullable=False),
)
