from sqlalchemy import Column, DateTime, Table, Text, func

from aftersales.tables import metadata

quality_feedback = Table(
    "quality_feedback",
    metadata,
    Column("id", Text, primary_key=True),
    Column("vin", Text, nullable=False, index=True),
    Column("repair_order_id", Text),
    Column("system", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("mileage_km", Text),
    Column("status", Text, nullable=False, server_default="open"),
    Column("oem_reference", Text),
    Column("reported_at", DateTime(timezone=True)),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
