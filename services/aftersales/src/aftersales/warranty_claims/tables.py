from sqlalchemy import (
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
)

from aftersales.tables import metadata

warranty_claims = Table(
    "warranty_claims",
    metadata,
    Column("id", Text, primary_key=True),
    Column("repair_order_id", Text, comment="the warranty repair order; none for a stock car damaged in transit"),
    Column("vin", Text, nullable=False),
    Column("fault_code", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("repaired_on", Date, nullable=False),
    Column("due_on", Date, nullable=False, comment="CLM-2: the last day to submit"),
    Column("submissions", Integer, nullable=False, server_default="0"),
    Column("first_submitted_on", Date),
    Column("claimed_amount", Numeric(14, 2), nullable=False),
    Column("approved_amount", Numeric(14, 2)),
    Column("paid_amount", Numeric(14, 2)),
    Column("paid_on", Date),
    Column("rejection_reason", Text),
    Column("clerk_no", Text, nullable=False, comment="who files it: the warranty clerk's employee number"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("repair_order_id", name="warranty_claims_one_per_repair_order"),
)
Index("warranty_claims_by_state", warranty_claims.c.state, warranty_claims.c.due_on)
Index("warranty_claims_by_time", warranty_claims.c.created_at, warranty_claims.c.id)

warranty_claim_lines = Table(
    "warranty_claim_lines",
    metadata,
    Column("id", Text, primary_key=True),
    Column("claim_id", Text, ForeignKey("warranty_claims.id"), nullable=False, index=True),
    Column("kind", Text, nullable=False, comment="labour (hours at the OEM rate) or part (at the OEM price)"),
    Column("part_no", Text),
    Column("description", Text, nullable=False),
    Column("quantity", Numeric(10, 2), nullable=False),
    Column("unit_price", Numeric(14, 2), nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
)

warranty_claim_answers = Table(
    "warranty_claim_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", Text, ForeignKey("warranty_claims.id"), nullable=False),
    Column("submission", Integer, nullable=False, comment="which submission it answers: 1 = the first"),
    Column("outcome", Text, nullable=False, comment="accepted | rejected | paid"),
    Column("reason", Text),
    Column("amount", Numeric(14, 2)),
    Column("decision_ref", Text, comment="the manufacturer's id of its answer (a batch item replayed is one answer)"),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", Text, nullable=False),
    UniqueConstraint("claim_id", "decision_ref", name="warranty_claim_answers_once"),
)
Index("warranty_claim_answers_by_time", warranty_claim_answers.c.answered_at)
