from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    func,
)

from aftersales.tables import metadata

purchase_orders = Table(
    "purchase_orders",
    metadata,
    Column("id", Text, primary_key=True),
    Column("supplier", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("note", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("submitted_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

purchase_order_lines = Table(
    "purchase_order_lines",
    metadata,
    Column("id", Text, primary_key=True),
    Column("purchase_order_id", Text, ForeignKey("purchase_orders.id"), nullable=False, index=True),
    Column("part_no", Text, nullable=False),
    Column("quantity", Numeric(12, 2), nullable=False),
    Column("unit_cost", Numeric(14, 2), nullable=False),
    Column("received", Numeric(12, 2), nullable=False, server_default="0"),
    UniqueConstraint("purchase_order_id", "part_no", name="purchase_order_lines_one_per_part"),
    CheckConstraint("received >= 0 AND received <= quantity", name="purchase_order_lines_never_over"),
)
