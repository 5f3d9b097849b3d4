"""The kit's own tables, created in every service database by the ``servicekit`` Alembic branch."""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from servicekit.db import kit_metadata

outbox = Table(
    "outbox",
    kit_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", UUID(as_uuid=False), nullable=False, unique=True),
    Column("topic", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("headers", JSONB, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
)
Index("outbox_pending", outbox.c.id, postgresql_where=text("sent_at IS NULL"))
# BRIN: a few pages for millions of rows in time order, next to nothing to keep up on the hot path;
# what the retention (servicekit.retention) finds old rows with
Index("outbox_created_brin", outbox.c.created_at, postgresql_using="brin")

inbox = Table(
    "inbox",
    kit_metadata,
    Column("event_id", Text, primary_key=True),
    Column("type", Text, nullable=False),
    Column("topic", Text, nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("inbox_processed_brin", inbox.c.processed_at, postgresql_using="brin")

dead_letters = Table(
    "dead_letters",
    kit_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("topic", Text, nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("event_id", Text),
    Column("event_type", Text),
    Column("key", Text),
    Column("headers", JSONB, nullable=False),
    Column("payload", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("status", Text, nullable=False, server_default="parked"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("replayed_at", DateTime(timezone=True)),
    UniqueConstraint("topic", "partition", "offset", name="dead_letters_position"),
)

due_jobs = Table(
    "due_jobs",
    kit_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("payload", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("status", Text, nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("done_at", DateTime(timezone=True)),
    Column("traceparent", Text, comment="W3C Trace Context of what planned it (servicekit.tracing)"),
    UniqueConstraint("kind", "key", name="due_jobs_once"),
)
Index("due_jobs_pending", due_jobs.c.due_at, postgresql_where=text("status = 'pending'"))
Index("due_jobs_done_brin", due_jobs.c.done_at, postgresql_using="brin")

idempotency_keys = Table(
    "idempotency_keys",
    kit_metadata,
    Column("scope", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("request_hash", Text, nullable=False),
    Column("status_code", Integer),
    Column("body", JSONB),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("scope", "key"),
)
Index("idempotency_keys_created_brin", idempotency_keys.c.created_at, postgresql_using="brin")

staff_directory = Table(
    "staff_directory",
    kit_metadata,
    Column("employee_no", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("team", Text),
    Column("hired_on", Date, nullable=False),
    Column("left_on", Date),
    Column("event_time", DateTime(timezone=True), nullable=False),
)

calendar_years = Table(
    "calendar_years",
    kit_metadata,
    Column("year", Integer, primary_key=True),
    Column("holidays", ARRAY(Date), nullable=False),
    Column("working_days", ARRAY(Date), nullable=False),
    Column("source", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, comment="when the store entered it"),
    Column("applied_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("moved", Integer, nullable=False, server_default="0", comment="open deadlines it moved here"),
)
