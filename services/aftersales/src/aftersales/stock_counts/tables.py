from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, Numeric, Table, Text, UniqueConstraint, func

from aftersales.tables import metadata

stock_counts = Table(
    "stock_counts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("state", Text, nullable=False, server_default="counted"),
    Column("note", Text),
    Column("counted_by", Text, nullable=False),
    Column("counted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
)

stock_count_lines = Table(
    "stock_count_lines",
    metadata,
    Column("id", Text, primary_key=True),
    Column("stock_count_id", Text, ForeignKey("stock_counts.id"), nullable=False, index=True),
    Column("part_no", Text, nullable=False),
    Column("expected", Numeric(12, 2), nullable=False, comment="on hand in the books when counted"),
    Column("counted", Numeric(12, 2), nullable=False),
    Column("avg_cost", Numeric(14, 4), nullable=False, comment="the average cost when counted"),
    UniqueConstraint("stock_count_id", "part_no", name="stock_count_lines_one_per_part"),
)

Index("stock_counts_by_time", stock_counts.c.counted_at, stock_counts.c.id)
