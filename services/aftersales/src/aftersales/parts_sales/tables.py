from sqlalchemy import Column, DateTime, ForeignKey, Index, Numeric, Table, Text, func

from aftersales.tables import metadata

parts_sales = Table(
    "parts_sales",
    metadata,
    Column("id", Text, primary_key=True),
    Column("buyer", Text, nullable=False, comment="a walk-in customer or another garage"),
    Column("mobile", Text),
    Column("sold_by", Text, nullable=False),
    Column("sold_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

parts_sale_lines = Table(
    "parts_sale_lines",
    metadata,
    Column("id", Text, primary_key=True),
    Column("sale_id", Text, ForeignKey("parts_sales.id"), nullable=False, index=True),
    Column("part_no", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("quantity", Numeric(12, 2), nullable=False),
    Column("unit_price", Numeric(14, 2), nullable=False),
    Column("unit_cost", Numeric(14, 4), nullable=False, comment="the average cost it left the shelf at"),
    Column("amount", Numeric(14, 2), nullable=False),
)

Index("parts_sales_by_time", parts_sales.c.sold_at, parts_sales.c.id)
