from sqlalchemy import Boolean, Column, DateTime, Index, Integer, Numeric, Table, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB

from leads.tables import metadata

quotes = Table(
    "quotes",
    metadata,
    Column("id", Text, primary_key=True),
    Column("lead_id", Text, index=True),
    Column("customer_id", Text, nullable=False, index=True),
    Column("consultant_no", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("list_price", Numeric(14, 2), nullable=False),
    Column("price", Numeric(14, 2), nullable=False),
    Column("floor_price", Numeric(14, 2), nullable=False),
    Column("discount", Numeric(14, 2), nullable=False),
    Column("accessories", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("insurance", JSONB),
    Column("loan", JSONB),
    Column("plate_fee", Numeric(14, 2), nullable=False, server_default="0"),
    Column("trade_in", JSONB, comment="the customer's used car the store takes in (二手车置换)"),
    Column("total", Numeric(14, 2), nullable=False),
    Column("status", Text, nullable=False),
    Column("approved_by", Text),
    Column("approved_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("quotes_by_consultant", quotes.c.consultant_no, quotes.c.created_at)

orders = Table(
    "orders",
    metadata,
    Column("id", Text, primary_key=True),
    Column("quote_id", Text, nullable=False, unique=True),
    Column("lead_id", Text),
    Column("customer_id", Text, nullable=False, index=True),
    Column("consultant_no", Text, nullable=False),
    Column("vin", Text),
    Column("model", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("price", Numeric(14, 2), nullable=False),
    Column("floor_price", Numeric(14, 2), nullable=False),
    Column("deposit", Numeric(14, 2), nullable=False),
    Column("planned_handover_at", DateTime(timezone=True)),
    Column("status", Text, nullable=False, server_default="placed"),
    Column("delivery_id", Text),
    Column("financed", Boolean, nullable=False, server_default="false", comment="quoted with a car loan"),
    Column("loan_state", Text, comment="FIN-3: the loan's last step from the F&I office's events"),
    Column("loan_application_id", Text),
    Column("loan_state_at", DateTime(timezone=True), comment="when that step happened (later steps win)"),
    Column("approved_loan", JSONB, comment="lender and handling fee as approved"),
    Column("cancel_reason", Text),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("orders_by_consultant", orders.c.consultant_no, orders.c.placed_at)
Index("orders_one_open_per_vin", orders.c.vin, unique=True, postgresql_where=text("status = 'placed'"))
