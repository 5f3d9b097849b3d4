from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Index, Integer, Numeric, Table, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from payroll.tables import metadata

payroll_runs = Table(
    "payroll_runs",
    metadata,
    Column("id", Text, primary_key=True),
    Column("month", Text, nullable=False, unique=True),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("computed_at", DateTime(timezone=True)),
    Column("approved_by", Text),
    Column("locked_by", Text),
    Column("locked_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

payslip_lines = Table(
    "payslip_lines",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("run_id", Text, ForeignKey("payroll_runs.id"), nullable=False),
    Column("employee_no", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("code", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("basis", JSONB, nullable=False),
    Column("source_event_ids", ARRAY(Text), nullable=False),
    Column("plan_code", Text),
)
Index("payslip_lines_by_run_employee", payslip_lines.c.run_id, payslip_lines.c.employee_no, payslip_lines.c.position)
Index("payslip_lines_by_event", payslip_lines.c.source_event_ids, postgresql_using="gin")
