from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, Numeric, Table, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB

from insurance.tables import metadata

renewals = Table(
    "renewals",
    metadata,
    Column("id", Text, primary_key=True),
    Column("policy_id", Text, nullable=False, unique=True, comment="the expiring policy"),
    Column("vin", Text, nullable=False, index=True),
    Column("insurer", Text, nullable=False),
    Column("holder_name", Text, nullable=False),
    Column("holder_mobile", Text, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("assignee_no", Text),
    Column("status", Text, nullable=False, server_default="open"),
    Column("quote_premium", Numeric(14, 2)),
    Column("quote_insurer", Text),
    Column("quote_coverages", JSONB),
    Column("quote_source", Text),
    Column("quoted_at", DateTime(timezone=True)),
    Column("call_due_at", DateTime(timezone=True)),
    Column("called_at", DateTime(timezone=True)),
    Column("calls", Integer, nullable=False, server_default="0"),
    Column("last_call_outcome", Text),
    Column("new_policy_id", Text),
    Column("premium", Numeric(14, 2), comment="the new policy's premium, when renewed"),
    Column("commercial", Boolean),
    Column("lost_reason", Text),
    Column("counter_measure", Text),
    Column("closed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("renewals_by_assignee", renewals.c.assignee_no, renewals.c.status, renewals.c.expires_on)
Index("renewals_by_expiry", renewals.c.expires_on)
Index("renewals_by_mobile", renewals.c.holder_mobile)

renewal_reminders = Table(
    "renewal_reminders",
    metadata,
    Column("id", Text, primary_key=True),
    Column("renewal_id", Text, nullable=False, index=True),
    Column("days_before", Integer, nullable=False),
    Column("sms_id", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("renewal_id", "days_before", name="renewal_reminders_once"),
)
