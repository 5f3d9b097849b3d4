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
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from insurance.tables import metadata

loan_orders = Table(
    "loan_orders",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("customer_id", Text, nullable=False),
    Column("customer_name", Text),
    Column("customer_mobile", Text),
    Column("consultant_no", Text, nullable=False),
    Column("vin", Text),
    Column("model", Text, nullable=False),
    Column("price", Numeric(14, 2), nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    comment="read copy of the orders leads placed (order.placed): what an application is opened for",
)

loan_applications = Table(
    "loan_applications",
    metadata,
    Column("id", Text, primary_key=True),
    Column("order_id", Text, nullable=False),
    Column("customer_id", Text, nullable=False),
    Column("customer_name", Text),
    Column("customer_mobile", Text),
    Column("consultant_no", Text, nullable=False),
    Column("vin", Text),
    Column("model", Text, nullable=False),
    Column("lender", Text, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("down_payment", Numeric(14, 2), nullable=False),
    Column("term_months", Integer, nullable=False),
    Column("annual_rate", Numeric(6, 5), comment="as applied for; the lender's own at approval"),
    Column("handling_fee", Numeric(14, 2), nullable=False),
    Column("guarantor", JSONB, comment="name, mobile, relation (反担保人)"),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("specialist_no", Text, comment="the finance specialist handling it"),
    Column("risk_outcome", Text, comment="the risk desk's last review: pass | refer | reject"),
    Column("watch", Boolean, nullable=False, server_default="false", comment="flagged for after-loan care"),
    Column("submitted_at", DateTime(timezone=True)),
    Column("approved_amount", Numeric(14, 2)),
    Column("approved_rate", Numeric(6, 5)),
    Column("approved_term", Integer),
    Column("decided_at", DateTime(timezone=True), comment="approved or declined"),
    Column("decline_reason", Text),
    Column("withdraw_reason", Text),
    Column("contract_no", Text, comment="the lender's loan contract, from the payout"),
    Column("disbursed_amount", Numeric(14, 2)),
    Column("disbursed_on", Date),
    Column("first_due_on", Date),
    Column("mortgage_registered_on", Date),
    Column("closed_on", Date),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index(
    "loan_applications_one_open_per_order",
    loan_applications.c.order_id,
    unique=True,
    postgresql_where=text("state NOT IN ('declined', 'withdrawn')"),
)
Index(
    "loan_applications_lender_contract",
    loan_applications.c.lender,
    loan_applications.c.contract_no,
    unique=True,
    postgresql_where=text("contract_no IS NOT NULL"),
)
Index("loan_applications_by_time", loan_applications.c.created_at, loan_applications.c.id)
Index("loan_applications_by_specialist", loan_applications.c.specialist_no, loan_applications.c.state)
Index("loan_applications_by_customer", loan_applications.c.customer_id)

loan_document_lists = Table(
    "loan_document_lists",
    metadata,
    Column("lender", Text, primary_key=True, comment="default: the list of a lender without its own"),
    Column("code", Text, primary_key=True),
    Column("label", Text, nullable=False),
    Column("required", Boolean, nullable=False, server_default="true"),
    Column("position", Integer, nullable=False),
)

loan_documents = Table(
    "loan_documents",
    metadata,
    Column("application_id", Text, ForeignKey("loan_applications.id"), primary_key=True),
    Column("code", Text, primary_key=True),
    Column("label", Text, nullable=False),
    Column("required", Boolean, nullable=False),
    Column("position", Integer, nullable=False),
    Column("received", Boolean, nullable=False, server_default="false"),
    Column("note", Text),
    Column("updated_by", Text),
    Column("updated_at", DateTime(timezone=True)),
    comment="the lender's checklist as it was when the application opened, ticked off",
)

loan_risk_reviews = Table(
    "loan_risk_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", Text, ForeignKey("loan_applications.id"), nullable=False, index=True),
    Column("outcome", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("credit_check", Text, comment="the credit bureau's result (资信调查)"),
    Column("home_visit", JSONB, comment="家访: visited_on, visited_by, findings"),
    Column("counter_guarantees", JSONB, nullable=False, server_default="[]", comment="反担保 measures"),
    Column("watch", Boolean, nullable=False),
    Column("reviewed_by", Text, nullable=False),
    Column("reviewed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

loan_steps = Table(
    "loan_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", Text, ForeignKey("loan_applications.id"), nullable=False, index=True),
    Column("from_state", Text),
    Column("to_state", Text, nullable=False),
    Column("facts", JSONB, nullable=False, server_default="{}"),
    Column("by", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

loan_decline_reasons = Table(
    "loan_decline_reasons",
    metadata,
    Column("code", Text, primary_key=True),
    Column("label", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
)
