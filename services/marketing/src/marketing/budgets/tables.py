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

split_overrides = Table(
    "split_overrides",
    metadata,
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("reason", Text, nullable=False),
    Column("set_by", Text, nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("year", "month"),
)

fixed_spends = Table(
    "fixed_spends",
    metadata,
    Column("id", Text, primary_key=True),
    Column("month", Text, nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("description", Text, nullable=False),
    Column("overrun_approved_by", Text),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
