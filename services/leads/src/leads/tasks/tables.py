from sqlalchemy import Column, DateTime, Index, Table, Text, func, text

from leads.tables import metadata

tasks = Table(
    "tasks",
    metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("ref", Text, nullable=False, comment="what the task is about: a lead, delivery or customer id"),
    Column("lead_id", Text),
    Column("customer_id", Text, nullable=False),
    Column("assignee_no", Text),
    Column("title", Text, nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False, server_default="open"),
    Column("note", Text),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("done_at", DateTime(timezone=True)),
    Column("done_by", Text),
)
Index("tasks_one_open_per_ref", tasks.c.kind, tasks.c.ref, unique=True, postgresql_where=text("status = 'open'"))
Index("tasks_agenda", tasks.c.assignee_no, tasks.c.due_at, postgresql_where=text("status = 'open'"))
Index("tasks_open_by_due", tasks.c.due_at, postgresql_where=text("status = 'open'"))
Index("tasks_by_lead", tasks.c.lead_id)
