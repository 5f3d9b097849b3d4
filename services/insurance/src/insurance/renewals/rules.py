"""INS-3: renewals. Each policy's renewal opens ``max(SCHEDULE)`` days before it expires; the customer
is reminded on a set schedule (**our default** 90, 60, 30 and 7 days before expiry); a premium quote
goes out by SMS and the customer must be phoned within **3 days** of it; the outcome is renewed (a
new policy of the store for the car) or lost (战败) with a reason and a counter-measure.

A policy recorded for the same car that starts from 60 days before to 30 days after the expiry is
that renewal's new policy (our reading: insurers issue renewals up to two months ahead)."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from servicekit.calendar import SHANGHAI

SCHEDULE = (90, 60, 30, 7)
"""(our default) days before expiry; a store sets its own with ``INSURANCE_RENEWAL_SCHEDULE_DAYS``."""
CALL_WITHIN = timedelta(days=3)
RENEWS_FROM = timedelta(days=60)
RENEWS_UNTIL = timedelta(days=30)
SEND_AT = time(9, 0)
State = Literal["open", "quoted", "renewed", "lost"]
STATES: tuple[str, ...] = get_args(State)
LOST_REASONS = ("price", "insured_elsewhere", "car_sold", "service_complaint", "unreachable", "other")


def opens_on(expires_on: date, schedule: Sequence[int] = SCHEDULE) -> date:
    return expires_on - timedelta(days=max(schedule))


def reminders(expires_on: date, today: date, schedule: Sequence[int] = SCHEDULE) -> list[tuple[int, date]]:
    """(days before expiry, date) of the reminders still to send; a policy that became known late
    gets only those whose day has not passed (nothing when it has expired)."""
    return sorted(
        ((d, expires_on - timedelta(days=d)) for d in schedule if expires_on - timedelta(days=d) >= today),
        key=lambda x: x[1],
    )


def at_send_time(day: date) -> datetime:
    return datetime.combine(day, SEND_AT, SHANGHAI)


def call_due(quoted_at: datetime) -> datetime:
    return quoted_at + CALL_WITHIN


def call_overdue(status: str, call_due_at: datetime | None, called_at: datetime | None, now: datetime) -> bool:
    return status == "quoted" and call_due_at is not None and called_at is None and now > call_due_at


def renews(expires_on: date, new_start: date) -> bool:
    """Does a policy starting on ``new_start`` renew one that expires on ``expires_on``?"""
    return expires_on - RENEWS_FROM <= new_start <= expires_on + RENEWS_UNTIL


def commercial(coverages: Sequence[str]) -> bool:
    """Commercial cover is anything beyond the compulsory traffic insurance (交强险)."""
    return any(code != "compulsory" for code in coverages)


def quote_sms(holder: str, vin: str, expires_on: date, premium: str, insurer: str) -> str:
    return (
        f"尊敬的{holder}：您的爱车(车架号尾号{vin[-6:]})保险将于{expires_on:%Y-%m-%d}到期，"
        f"{insurer}续保报价{premium}元，顾问将在3日内与您联系。"
    )


def reminder_sms(holder: str, vin: str, expires_on: date, days_before: int) -> str:
    return (
        f"尊敬的{holder}：您的爱车(车架号尾号{vin[-6:]})保险将于{expires_on:%Y-%m-%d}到期"
        f"(还有{days_before}天)，请联系本店续保。"
    )
