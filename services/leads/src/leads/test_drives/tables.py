from sqlalchemy import Boolean, Column, DateTime, Index, Integer, Table, Text, func, text

from leads.tables import metadata

test_drive_cars = Table(
    "test_drive_cars",
    metadata,
    Column("vin", Text, primary_key=True),
    Column("model", Text, nullable=False),
    Column("plate", Text),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

test_drives = Table(
    "test_drives",
    metadata,
    Column("id", Text, primary_key=True),
    Column("car_vin", Text, nullable=False),
    Column("slot_start", DateTime(timezone=True), nullable=False),
    Column("slot_minutes", Integer, nullable=False),
    Column("customer_id", Text, nullable=False, index=True),
    Column("lead_id", Text),
    Column("consultant_no", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="booked"),
    Column("agreement_signed", Boolean, nullable=False, server_default="false"),
    Column("route", Text),
    Column("outcome", Text),
    Column("driven_at", DateTime(timezone=True)),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index(
    "test_drives_one_per_car_slot",
    test_drives.c.car_vin,
    test_drives.c.slot_start,
    unique=True,
    postgresql_where=text("status IN ('booked', 'done')"),
)
Index("test_drives_by_consultant", test_drives.c.consultant_no, test_drives.c.slot_start)
