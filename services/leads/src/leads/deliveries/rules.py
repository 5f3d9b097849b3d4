"""Facts of a handover (LEAD-8/9) that hold whatever the storage."""


def can_cancel(status: str) -> bool:
    return status == "delivered"
