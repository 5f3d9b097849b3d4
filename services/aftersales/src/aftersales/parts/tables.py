from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Table,
    Text,
    func,
)

from aftersales.tables import metadata

parts = Table(
    "parts",
    metadata,
    Column("part_no", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("price", Numeric(14, 2), nullable=False, comment="the store's selling price"),
    Column("cost", Numeric(14, 2), nullable=False, comment="the supplier's list cost, what a purchase order proposes"),
    Column("min_qty", Numeric(12, 2), nullable=False, server_default="0"),
    Column("max_qty", Numeric(12, 2), nullable=False, server_default="0"),
    Column("bin", Text),
    Column("on_hand", Numeric(12, 2), nullable=False, server_default="0"),
    Column("reserved", Numeric(12, 2), nullable=False, server_default="0"),
    Column("avg_cost", Numeric(14, 4), nullable=False, server_default="0"),
    Column("on_order", Numeric(12, 2), nullable=False, server_default="0", comment="open on purchase orders"),
    Column("last_movement_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="parts_stock_never_below_zero"),
    CheckConstraint("min_qty >= 0 AND max_qty >= min_qty", name="parts_min_max"),
    CheckConstraint("on_order >= 0", name="parts_on_order"),
)
Index("parts_name_trgm", parts.c.name, postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"})
Index("parts_by_category", parts.c.category, parts.c.part_no)

part_movements = Table(
    "part_movements",
    metadata,
    Column("id", Text, primary_key=True),
    Column("part_no", Text, ForeignKey("parts.part_no"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("quantity", Numeric(12, 2), nullable=False, comment="signed for adjustments, positive otherwise"),
    Column("unit_cost", Numeric(14, 4), nullable=False),
    Column("on_hand_after", Numeric(12, 2), nullable=False),
    Column("reserved_after", Numeric(12, 2), nullable=False),
    Column("avg_cost_after", Numeric(14, 4), nullable=False),
    Column("source_kind", Text, nullable=False, comment="purchase_order, repair_order, parts_sale, stock_count"),
    Column("source_id", Text),
    Column("source_line_id", Text),
    Column("note", Text),
    Column("by", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("part_movements_by_part", part_movements.c.part_no, part_movements.c.at, part_movements.c.id)
Index("part_movements_by_source", part_movements.c.source_kind, part_movements.c.source_id)

part_demands = Table(
    "part_demands",
    metadata,
    Column("id", Text, primary_key=True, comment="the asking line's id (a repair order line)"),
    Column("part_no", Text, ForeignKey("parts.part_no"), nullable=False),
    Column("source_kind", Text, nullable=False),
    Column("source_id", Text, nullable=False),
    Column("quantity", Numeric(12, 2), nullable=False),
    Column("state", Text, nullable=False, comment="reserved, waiting_parts, issued, released"),
    Column("served_at_once", Boolean, nullable=False, comment="served from stock when first asked (fill rate)"),
    Column("by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index(
    "part_demands_waiting",
    part_demands.c.part_no,
    part_demands.c.created_at,
    postgresql_where=part_demands.c.state == "waiting_parts",
)
Index("part_demands_by_source", part_demands.c.source_kind, part_demands.c.source_id)
