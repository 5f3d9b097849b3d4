from sqlalchemy import Column, Date, DateTime, Integer, Numeric, Table, Text, func

from payroll.tables import metadata

employees = Table(
    "employees",
    metadata,
    Column("employee_no", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("team", Text),
    Column("hired_on", Date, nullable=False),
    Column("left_on", Date),
    Column("probation_until", Date, comment="the last day of probation: a probationer gets the post wage only (PAY-1)"),
    Column("base_wage", Numeric(14, 2), nullable=False),
    Column("performance_wage", Numeric(14, 2), nullable=False, server_default="0"),
    Column("wage_grade", Integer),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
