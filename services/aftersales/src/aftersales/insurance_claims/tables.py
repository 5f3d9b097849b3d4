from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, Numeric, Table, Text, UniqueConstraint, func

from aftersales.tables import metadata

insurance_claims = Table(
    "insurance_claims",
    metadata,
    Column("id", Text, primary_key=True),
    Column("repair_order_id", Text, nullable=False),
    Column("vin", Text, nullable=False),
    Column("advisor_no", Text, nullable=False),
    Column("insurer", Text, nullable=False),
    Column("claim_no", Text, nullable=False, comment="the insurer's own number of the claim (报案号)"),
    Column("referred", Boolean, nullable=False, server_default="false", comment="保险推修: the insurer sent the car"),
    Column("state", Text, nullable=False, server_default="reported"),
    Column("assessed_amount", Numeric(14, 2)),
    Column("assessed_on", Date),
    Column("assessor", Text),
    Column("excess", Numeric(14, 2), comment="what the customer pays (免赔额)"),
    Column("insurer_amount", Numeric(14, 2), comment="what the insurer pays: the assessment less the excess"),
    Column("paid_amount", Numeric(14, 2)),
    Column("paid_on", Date),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("repair_order_id", name="insurance_claims_one_per_repair_order"),
    UniqueConstraint("insurer", "claim_no", name="insurance_claims_insurer_number"),
)
Index("insurance_claims_by_insurer", insurance_claims.c.insurer, insurance_claims.c.state)
Index("insurance_claims_by_time", insurance_claims.c.created_at, insurance_claims.c.id)
