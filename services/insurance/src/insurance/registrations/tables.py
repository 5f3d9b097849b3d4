from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, Table, Text, func

from insurance.tables import metadata

registrations = Table(
    "registrations",
    metadata,
    Column("id", Text, primary_key=True),
    Column("delivery_id", Text, nullable=False, unique=True),
    Column("order_id", Text),
    Column("vin", Text, nullable=False, index=True),
    Column("model", Text, nullable=False),
    Column("customer_id", Text, nullable=False),
    Column("customer_name", Text, nullable=False),
    Column("customer_mobile", Text, nullable=False),
    Column("consultant_no", Text, nullable=False),
    Column("delivered_on", Date, nullable=False),
    Column("due_on", Date, nullable=False, comment="REG-1: the temporary plate's last day"),
    Column("financed", Boolean, nullable=False, comment="sold with a loan: mortgage and notary follow"),
    Column("lender", Text),
    Column("state", Text, nullable=False, server_default="open"),
    Column("appointment_at", DateTime(timezone=True), comment="at the vehicle administration office"),
    Column("office", Text),
    Column("plate", Text),
    Column("registered_on", Date),
    Column("notarised_on", Date),
    Column("mortgage_registered_on", Date),
    Column("specialist_no", Text, comment="who registered it"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("registrations_by_state", registrations.c.state, registrations.c.due_on)
Index("registrations_by_time", registrations.c.created_at, registrations.c.id)

registration_documents = Table(
    "registration_documents",
    metadata,
    Column("registration_id", Text, ForeignKey("registrations.id"), primary_key=True),
    Column("code", Text, primary_key=True),
    Column("label", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("received", Boolean, nullable=False, server_default="false"),
    Column("note", Text),
    Column("updated_by", Text),
    Column("updated_at", DateTime(timezone=True)),
)
