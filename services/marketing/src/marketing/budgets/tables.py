from sqlalchemy import Column, DateTime, Integer, Numeric, PrimaryKeyConstraint, Table, Text, func

from marketing.tables import metadata

sales_history = Table(
    "sales_history",
    metadata,
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("entered", Integer),
    Column("counted", Integer, nullable=False, server_default="0"),
    PrimaryKeyConstraint("year", "month"),
)

budgets = Table(
    "budgets",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("last_year_actual", Numeric(14, 2)),
    Column("fixed_share", Numeric(4, 3), nullable=False, server_default="0.3"),
    Column("submitted_by", Text),
    Column("approved_by", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

budget_lines = Table(
    "budget_lines",
    metadata,
    Column("year", Integer, nullable=False),
    Column("category", Text, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    PrimaryKeyConstraint("year", "category"),
)
