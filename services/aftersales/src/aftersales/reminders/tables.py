from sqlalchemy import Column, Date, DateTime, Integer, Table, Text, UniqueConstraint, func

from aftersales.tables import metadata

service_intervals = Table(
    "service_intervals",
    metadata,
    Column("model", Text, primary_key=True),
    Column("months", Integer, nullable=False),
    Column("km", Integer, nullable=False),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

maintenance_reminders = Table(
    "maintenance_reminders",
    metadata,
    Column("id", Text, primary_key=True),
    Column("vin", Text, nullable=False, index=True),
    Column("due_date", Date, nullable=False),
    Column("kind", Text, nullable=False),
    Column("remind_on", Date, nullable=False),
    Column("status", Text, nullable=False, server_default="open"),
    Column("result", Text),
    Column("result_notes", Text),
    Column("result_by", Text),
    Column("result_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("vin", "due_date", "kind", name="maintenance_reminders_once"),
)
