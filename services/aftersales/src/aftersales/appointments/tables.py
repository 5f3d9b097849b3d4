from sqlalchemy import Column, DateTime, Index, Integer, Table, Text, func

from aftersales.tables import metadata

appointments = Table(
    "appointments",
    metadata,
    Column("id", Text, primary_key=True),
    Column("vin", Text, nullable=False),
    Column("advisor_no", Text, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("channel", Text, nullable=False),
    Column("service_type", Text, nullable=False),
    Column("customer_name", Text),
    Column("customer_mobile", Text),
    Column("notes", Text, nullable=False, server_default=""),
    Column("status", Text, nullable=False, server_default="booked"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("appointments_by_slot", appointments.c.starts_at, appointments.c.status)
Index("appointments_by_vin", appointments.c.vin)
