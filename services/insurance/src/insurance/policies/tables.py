from sqlalchemy import Column, Date, DateTime, Index, Integer, Numeric, Table, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB

from insurance.tables import metadata

policies = Table(
    "policies",
    metadata,
    Column("id", Text, primary_key=True),
    Column("insurer", Text, nullable=False),
    Column("policy_no", Text, nullable=False),
    Column("vin", Text, nullable=False),
    Column("plate", Text, comment="licence plate, when the insurer sends it"),
    Column("holder_name", Text, nullable=False),
    Column("holder_mobile", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("coverages", JSONB, nullable=False),
    Column("premium", Numeric(14, 2), nullable=False),
    Column("commission_rate", Numeric(6, 4)),
    Column("commission_amount", Numeric(14, 2)),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("insurer", "policy_no", name="policies_by_insurer_number"),
)
Index("policies_by_vin", policies.c.vin)
Index("policies_by_mobile", policies.c.holder_mobile)
Index("policies_by_end", policies.c.end_date)
Index("policies_by_plate", policies.c.plate)
