"""MKT-9: the ad plan and the monthly summary go to the OEM before the 1st of each month. The store
sends them on the **25th at 09:00** (our default): the summary of the month so far and the plan of the
next; a report for any month can be drawn on demand."""

from datetime import datetime, time

from servicekit.calendar import SHANGHAI, next_month_start

SEND_DAY = 25
SEND_AT = time(9, 0)


def next_run(after: datetime) -> datetime:
    """The first 25th 09:00 (Shanghai) strictly after ``after``."""
    local = after.astimezone(SHANGHAI)
    candidate = datetime.combine(local.date().replace(day=SEND_DAY), SEND_AT, SHANGHAI)
    if candidate > local:
        return candidate
    return datetime.combine(next_month_start(local.date()).replace(day=SEND_DAY), SEND_AT, SHANGHAI)
