"""FIN-5..6 after the loan (贷后, seed 002's 风险部 贷后跟踪 and 金融客服 催款): the lenders' repayment
statements against the schedule (FIN-2), a reminder before each instalment for a customer on the
watch list, and collection (催收) of a missed one, escalated to the finance manager as it ages."""

from datetime import time
from decimal import Decimal

REMIND_DAYS_BEFORE = 3
"""FIN-5: a watched customer's reminder task opens this many days before each instalment."""
ESCALATION_DAYS: tuple[int, ...] = (30, 60, 90)
"""FIN-6: days overdue at which a collection goes up a level (our default; the seed gives none):
level 0 is the finance specialist's, from level 1 on the finance manager's."""
SWEEP_AT = time(7, 0)
"""The morning run (Asia/Shanghai) that opens the day's reminders and collections."""


def level(days: int, steps: tuple[int, ...] = ESCALATION_DAYS) -> int:
    """FIN-6: the collection level of an instalment ``days`` overdue: how many of ``steps`` it reached."""
    return sum(1 for step in steps if days >= step)


def escalated(level_: int) -> bool:
    """FIN-6: from level 1 a collection is the finance manager's."""
    return level_ >= 1


def paid_in_full(payment: Decimal, paid: Decimal) -> bool:
    return paid >= payment


class RepaymentRefused(ValueError):
    pass


def check_repayment(amount: Decimal, recorded: Decimal, payment: Decimal) -> None:
    """FIN-5: a statement line says what has been paid on its instalment so far: more than nothing,
    never less than an earlier statement said (a lender does not take money back), at most the
    instalment."""
    if amount <= 0:
        raise RepaymentRefused("a repayment is more than zero")
    if amount < recorded:
        raise RepaymentRefused(f"{amount} is less than the {recorded} an earlier statement reported paid")
    if amount > payment:
        raise RepaymentRefused(f"{amount} is more than the instalment of {payment}")
