"""Login lock-out: after ``max_failures`` wrong passwords in a row the account is locked for a while."""

from datetime import datetime, timedelta


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def after_failure(
    failed_logins: int, now: datetime, *, max_failures: int, lockout: timedelta
) -> tuple[int, datetime | None]:
    """New (failed count, locked until) after one more wrong password."""
    failures = failed_logins + 1
    if failures >= max_failures:
        return 0, now + lockout
    return failures, None
