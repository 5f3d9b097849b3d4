from sqlalchemy import Column, DateTime, Numeric, Table, Text

from marketing.tables import metadata

attributed_leads = Table(
    "attributed_leads",
    metadata,
    Column("lead_id", Text, primary_key=True),
    Column("customer_id", Text, nullable=False, index=True),
    Column("campaign_code", Text, index=True),
    Column("channel", Text),
    Column("source", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

attributed_sales = Table(
    "attributed_sales",
    metadata,
    Column("delivery_id", Text, primary_key=True),
    Column("customer_id", Text, nullable=False),
    Column("campaign_code", Text, index=True),
    Column("channel", Text),
    Column("price", Numeric(14, 2), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
    Column("cancelled", Text),
    Column("order_id", Text, index=True),
)

attributed_orders = Table(
    "attributed_orders",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("customer_id", Text, nullable=False),
    Column("campaign_code", Text, index=True),
    Column("channel", Text),
    Column("placed_at", DateTime(timezone=True), nullable=False),
)

attributed_visits = Table(
    "attributed_visits",
    metadata,
    Column("visit_id", Text, primary_key=True),
    Column("customer_id", Text, nullable=False),
    Column("campaign_code", Text, index=True),
    Column("channel", Text),
    Column("at", DateTime(timezone=True), nullable=False),
)
