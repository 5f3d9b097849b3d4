from sqlalchemy import Column, DateTime, Index, Integer, Numeric, Table, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB

from leads.tables import metadata

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Text, primary_key=True),
    Column("vin", Text, nullable=False),
    Column("customer_id", Text, nullable=False),
    Column("consultant_no", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("price", Numeric(14, 2), nullable=False),
    Column("floor_price", Numeric(14, 2), nullable=False),
    Column("loan", JSONB),
    Column("insurance", JSONB),
    Column("accessories", JSONB),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False, server_default="delivered"),
    Column("delivered_event_id", Text, nullable=False),
    Column("order_id", Text),
    Column("plate_fee", Numeric(14, 2)),
    Column("trade_in", JSONB),
    Column("loan_override_reason", Text, comment="FIN-3: handed over before the lender approved, why"),
    Column("loan_override_by", Text),
    Column("settled_at", DateTime(timezone=True), comment="the sale's settlement completed (PAY-9)"),
    Column("cancel_reason", Text),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("cancelled_by", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index(
    "deliveries_one_active_per_vin",
    deliveries.c.vin,
    unique=True,
    postgresql_where=text("status = 'delivered'"),
)
Index("deliveries_by_consultant", deliveries.c.consultant_no, deliveries.c.delivered_at)
