from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, Numeric, Table, Text, func

from aftersales.tables import metadata

repair_orders = Table(
    "repair_orders",
    metadata,
    Column("id", Text, primary_key=True),
    Column("vin", Text, nullable=False),
    Column("advisor_no", Text, nullable=False),
    Column("technician_no", Text),
    Column("type", Text, nullable=False),
    Column("mileage_km", Integer, nullable=False),
    Column("concerns", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="open"),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("handed_over_at", DateTime(timezone=True)),
    Column("completed_event_id", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("repair_orders_by_vin", repair_orders.c.vin, repair_orders.c.opened_at)
Index("repair_orders_by_advisor_state", repair_orders.c.advisor_no, repair_orders.c.state)
Index("repair_orders_by_opening", repair_orders.c.opened_at)
Index("repair_orders_by_handover", repair_orders.c.handed_over_at)

repair_order_lines = Table(
    "repair_order_lines",
    metadata,
    Column("id", Text, primary_key=True),
    Column("repair_order_id", Text, ForeignKey("repair_orders.id"), nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("part_no", Text, comment="the catalogue part the line takes from stock; none for free text"),
    Column("description", Text, nullable=False),
    Column("quantity", Numeric(10, 2), nullable=False),
    Column("unit_price", Numeric(14, 2), nullable=False),
    Column("unit_cost", Numeric(14, 2)),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
