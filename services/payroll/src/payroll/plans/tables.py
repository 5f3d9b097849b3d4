from sqlalchemy import Column, DateTime, Numeric, PrimaryKeyConstraint, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from payroll.tables import metadata

commission_plans = Table(
    "commission_plans",
    metadata,
    Column("code", Text, nullable=False),
    Column("effective_month", Text, nullable=False),
    Column("document", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("code", "effective_month"),
)

plan_assignments = Table(
    "plan_assignments",
    metadata,
    Column("employee_no", Text, nullable=False),
    Column("from_month", Text, nullable=False),
    Column("plan_code", Text, nullable=False),
    Column("assigned_by", Text, nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("employee_no", "from_month"),
)

targets = Table(
    "targets",
    metadata,
    Column("month", Text, nullable=False),
    Column("employee_no", Text, nullable=False),
    Column("units", Numeric(10, 0)),
    Column("output", Numeric(14, 2)),
    Column("profit", Numeric(14, 2)),
    Column("set_by", Text, nullable=False),
    PrimaryKeyConstraint("month", "employee_no"),
)

appraisals = Table(
    "appraisals",
    metadata,
    Column("month", Text, nullable=False),
    Column("employee_no", Text, nullable=False),
    Column("score", Numeric(5, 2), nullable=False),
    Column(
        "sheet_score", Numeric(5, 2), comment="the performance-sheet score % (对应绩效考核表得分), 100 when not given"
    ),
    Column("set_by", Text, nullable=False),
    PrimaryKeyConstraint("month", "employee_no"),
)

adjustments = Table(
    "adjustments",
    metadata,
    Column("id", Text, primary_key=True),
    Column("month", Text, nullable=False, index=True),
    Column("employee_no", Text, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

store_figures = Table(
    "store_figures",
    metadata,
    Column("month", Text, primary_key=True),
    Column("aftersales_net_profit", Numeric(14, 2)),
    Column("aftersales_net_profit_target", Numeric(14, 2)),
    Column("parts_sales", Numeric(14, 2)),
    Column("maintenance_products_sales", Numeric(14, 2)),
    Column("parts_office_costs", Numeric(14, 2), nullable=False, server_default="0"),
    Column("parts_profit", Numeric(14, 2)),
    Column("parts_profit_target", Numeric(14, 2)),
    Column("parts_sheet_score", Numeric(5, 2), nullable=False, server_default="100"),
    Column("set_by", Text, nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

attendance = Table(
    "attendance",
    metadata,
    Column("month", Text, nullable=False),
    Column("employee_no", Text, nullable=False),
    Column("days_worked", Numeric(4, 1), nullable=False),
    Column("days_scheduled", Numeric(4, 1), nullable=False),
    Column("set_by", Text, nullable=False),
    PrimaryKeyConstraint("month", "employee_no"),
    comment="PAY-1: post and seniority wage follow attendance; a month without a row is a full month",
)
