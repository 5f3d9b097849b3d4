from sqlalchemy import Column, DateTime, Integer, Numeric, Table, Text, func

from leads.tables import metadata

stock_cars = Table(
    "stock_cars",
    metadata,
    Column("vin", Text, primary_key=True),
    Column("model", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("colour", Text, nullable=False),
    Column("cost", Numeric(14, 2), nullable=False),
    Column("arrived_at", DateTime(timezone=True), nullable=False),
    Column("pdi_status", Text, nullable=False, server_default="pending"),
    Column("pdi_at", DateTime(timezone=True)),
    Column("pdi_notes", Text),
    Column("repair_since", DateTime(timezone=True)),
    Column("status", Text, nullable=False, server_default="in_stock"),
    Column("order_id", Text),
    # what the reserving order says of the car (LEAD-7: ready and as contracted before the handover)
    Column("planned_handover_at", DateTime(timezone=True)),
    Column("contract_model", Text),
    Column("contract_grade", Text),
    Column("sold_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
