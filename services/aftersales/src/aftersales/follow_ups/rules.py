"""AS-4: the customer-service follow-up call is due on the 3rd China working day after the handover
date; the handover day does not count, adjusted working weekends do, holidays do not."""

from datetime import date, datetime

from servicekit.calendar import business_date, nth_working_day_after

WORKING_DAYS_TO_CALL = 3


def follow_up_due_date(handed_over_at: datetime, working_days: int = WORKING_DAYS_TO_CALL) -> date:
    return nth_working_day_after(business_date(handed_over_at), working_days)


def is_overdue(due_date: date, status: str, today: date) -> bool:
    return status == "open" and today > due_date
