from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, PrimaryKeyConstraint, Table, Text, func
from sqlalchemy.dialects.postgresql import UUID

from leads.tables import metadata

customers = Table(
    "customers",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("name", Text, nullable=False),
    Column("mobile", Text, nullable=False, unique=True),
    Column("wechat_id", Text),
    Column("birthday", Date),
    Column("address", Text),
    Column("owner_no", Text),
    Column("company", Text, comment="set for company, group and institution buyers"),
    Column(
        "key_account_agreement",
        Boolean,
        nullable=False,
        server_default="false",
        comment="the company signed an agreement with the store: a key account (LEAD-3)",
    ),
    Column("owner_called_at", DateTime(timezone=True)),
    Column("merged_into", UUID(as_uuid=False), comment="the customer this duplicate was merged into"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("customers_mobile_prefix", customers.c.mobile, postgresql_ops={"mobile": "text_pattern_ops"})
Index("customers_name_trgm", customers.c.name, postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"})
Index("customers_by_owner", customers.c.owner_no)

ownership_changes = Table(
    "ownership_changes",
    metadata,
    Column("id", Text, primary_key=True),
    Column("customer_id", UUID(as_uuid=False), nullable=False, index=True),
    Column("owner_before", Text),
    Column("owner_after", Text),
    Column("cause", Text, nullable=False, comment="visit, reassignment or merge"),
    Column("reason", Text, nullable=False),
    Column("by", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

customer_sellers = Table(
    "customer_sellers",
    metadata,
    Column("customer_id", UUID(as_uuid=False), nullable=False),
    Column("consultant_no", Text, nullable=False),
    PrimaryKeyConstraint("customer_id", "consultant_no"),
    comment="who sold a car to the customer: a consultant sees the customers they own or sold to",
)
Index("customer_sellers_by_consultant", customer_sellers.c.consultant_no)
