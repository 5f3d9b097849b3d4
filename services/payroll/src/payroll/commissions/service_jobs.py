"""Service handovers counted for advisors' pay (PAY-10): output and maintenance-product bottles."""

from fours_contracts import CloudEvent, ServiceCompleted
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.commissions.handlers import month_of, open_month_from
from payroll.commissions.tables import service_jobs


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
