from sqlalchemy import Boolean, Column, DateTime, Numeric, Table, Text
from sqlalchemy.dialects.postgresql import ARRAY

from insurance.tables import metadata

new_car_sales = Table(
    "new_car_sales",
    metadata,
    Column("delivery_id", Text, primary_key=True),
    Column("vin", Text, nullable=False, index=True),
    Column("consultant_no", Text, nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
    Column("month", Text, nullable=False, index=True),
    Column("insurer", Text),
    Column("coverages", ARRAY(Text), nullable=False),
    Column("loan_lender", Text, comment="financed: the lender (the loan penetration of deliveries, FIN-7)"),
    Column("loan_fee", Numeric(14, 2), comment="the loan's handling fee the delivery carried"),
    Column("cancelled", Boolean, nullable=False, server_default="false"),
)
