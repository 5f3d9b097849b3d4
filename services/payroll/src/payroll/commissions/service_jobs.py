"""Service handovers counted for advisors' pay (PAY-10): output and maintenance-product bottles."""

from fours_contracts import CloudEvent, ServiceCompleted
from sqlalchemy import Column, DateTime, Index, Integer, Numeric, Table, Text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.commissions.handlers import month_of, open_month_from
from payroll.tables import metadata

service_jobs = Table(
    "service_jobs",
    metadata,
    Column("repair_order_id", Text, primary_key=True),
    Column("completed_event_id", Text, nullable=False, unique=True),
    Column("advisor_no", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("total_amount", Numeric(14, 2), nullable=False),
    Column("product_bottles", Integer, nullable=False),
    Column("handed_over_at", DateTime(timezone=True), nullable=False),
    Column("month", Text, nullable=False),
    Column("counted_month", Text, nullable=False),
)
Index("service_jobs_by_advisor_month", service_jobs.c.advisor_no, service_jobs.c.counted_month)


async def on_service_completed(session: AsyncSession, event: ServiceCompleted, envelope: CloudEvent) -> None:
    month = month_of(event.handed_over_at)
    await session.execute(
        insert(service_jobs)
        .values(
            repair_order_id=event.repair_order_id,
            completed_event_id=envelope.id,
            advisor_no=event.advisor_no,
            type=event.type,
            total_amount=event.total_amount,
            product_bottles=event.product_bottles,
            handed_over_at=event.handed_over_at,
            month=month,
            counted_month=await open_month_from(session, month),
        )
        .on_conflict_do_nothing(index_elements=[service_jobs.c.repair_order_id])
    )
