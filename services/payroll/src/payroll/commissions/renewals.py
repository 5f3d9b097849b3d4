"""Insurance renewals won, credited to the specialist or advisor who worked them (INS-7)."""

from fours_contracts import CloudEvent, RenewalWon
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.commissions.handlers import month_of, open_month_from
from payroll.commissions.tables import renewals_won


async def on_renewal_won(session: AsyncSession, event: RenewalWon, envelope: CloudEvent) -> None:
    if event.credited_no is None:
        return  # nobody worked it: no one to pay
    month = month_of(event.renewed_at)
    await session.execute(
        insert(renewals_won)
        .values(
            renewal_id=event.renewal_id,
            won_event_id=envelope.id,
            employee_no=event.credited_no,
            vin=event.vin,
            commercial=event.commercial,
            premium=event.premium,
            renewed_at=event.renewed_at,
            month=month,
            counted_month=await open_month_from(session, month),
        )
        .on_conflict_do_nothing(index_elements=[renewals_won.c.renewal_id])
    )
