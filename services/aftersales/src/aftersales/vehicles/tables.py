from sqlalchemy import Column, DateTime, Index, Table, Text, func, text

from aftersales.tables import metadata

vehicles = Table(
    "vehicles",
    metadata,
    Column("vin", Text, primary_key=True),
    Column("model", Text, nullable=False),
    Column("grade", Text),
    Column("owner_customer_id", Text),
    Column("owner_name", Text, nullable=False),
    Column("owner_mobile", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("delivery_id", Text),
    Column("consultant_no", Text),
    Column("delivered_at", DateTime(timezone=True)),
    Column("sold_status", Text, nullable=False, server_default="sold"),
    Column("segment", Text, index=True),
    Column("segment_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("plate", Text),
    # a plate is on one car at a time
    Index("vehicles_by_plate", "plate", unique=True, postgresql_where=text("plate IS NOT NULL")),
)
