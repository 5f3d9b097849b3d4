from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)

from insurance.tables import metadata

loan_accounts = Table(
    "loan_accounts",
    metadata,
    Column("application_id", Text, primary_key=True, comment="the loan application paid out"),
    Column("lender", Text, nullable=False),
    Column("lender_key", Text, nullable=False, comment="the lender lower-cased: how its API key names it"),
    Column("contract_no", Text, nullable=False),
    Column("customer_id", Text, nullable=False),
    Column("order_id", Text),
    Column("vin", Text),
    Column("specialist_no", Text),
    Column("watch", Boolean, nullable=False, comment="on the after-loan watch list (FIN-5)"),
    Column("principal", Numeric(14, 2), nullable=False),
    Column("annual_rate", Numeric(6, 5), nullable=False),
    Column("term_months", Integer, nullable=False),
    Column("first_due_on", Date, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("lender_key", "contract_no", name="loan_accounts_contract"),
)
Index("loan_accounts_by_specialist", loan_accounts.c.specialist_no)

loan_instalments = Table(
    "loan_instalments",
    metadata,
    Column("application_id", Text, ForeignKey("loan_accounts.application_id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("due_on", Date, nullable=False),
    Column("payment", Numeric(14, 2), nullable=False),
    Column("principal", Numeric(14, 2), nullable=False),
    Column("interest", Numeric(14, 2), nullable=False),
    Column("balance_after", Numeric(14, 2), nullable=False),
    Column("paid_amount", Numeric(14, 2), nullable=False, server_default="0"),
    Column("paid_on", Date, comment="when it was paid in full"),
)
Index(
    "loan_instalments_unpaid_by_due",
    loan_instalments.c.due_on,
    loan_instalments.c.application_id,
    loan_instalments.c.number,
    postgresql_where=text("paid_on IS NULL"),
)

loan_repayments = Table(
    "loan_repayments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", Text, nullable=False),
    Column("number", Integer, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("partner", Text, nullable=False, comment="the API key's partner that pushed it"),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("application_id", "number", name="loan_repayments_once"),  # per lender + contract + instalment
)

loan_tasks = Table(
    "loan_tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", Text, nullable=False),
    Column("number", Integer, nullable=False, comment="the instalment"),
    Column("kind", Text, nullable=False, comment="reminder (FIN-5) | collection (FIN-6)"),
    Column("opened_on", Date, nullable=False),
    Column("level", Integer, nullable=False, server_default="0", comment="FIN-6: 0 the specialist's, 1+ escalated"),
    Column("escalated_on", Date),
    Column("assignee_no", Text, comment="the specialist; none once escalated to the finance manager"),
    Column("state", Text, nullable=False, server_default="open", comment="open | done"),
    Column("done_on", Date),
    Column("note", Text),
    UniqueConstraint("application_id", "number", "kind", name="loan_tasks_once"),
)
Index("loan_tasks_open", loan_tasks.c.state, loan_tasks.c.kind, loan_tasks.c.opened_on)
