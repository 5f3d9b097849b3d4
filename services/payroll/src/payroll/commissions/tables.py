from sqlalchemy import Column, DateTime, Index, Table, Text

from payroll.tables import metadata

car_sales = Table(
    "car_sales",
    metadata,
    Column("delivery_id", Text, primary_key=True),
    Column("delivered_event_id", Text, nullable=False, unique=True),
    Column("vin", Text, nullable=False),
    Column("consultant_no", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
    Column("month", Text, nullable=False),
    Column("cancelled_event_id", Text),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("cancel_month", Text),
)
Index("car_sales_by_consultant_month", car_sales.c.consultant_no, car_sales.c.month)
Index("car_sales_by_consultant_cancel_month", car_sales.c.consultant_no, car_sales.c.cancel_month)
