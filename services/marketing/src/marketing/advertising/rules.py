"""MKT-7: advertising is classed by medium, purpose and nature (hard ad or soft article); the online
specialist posts at least **one soft article per portal every two days**: in every two consecutive
days of the period, each portal has an article."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal, get_args

Medium = Literal["newspaper", "radio", "tv", "online", "outdoor", "other"]
MEDIA: tuple[str, ...] = get_args(Medium)
Purpose = Literal["product", "public_welfare", "brand", "promotion"]
PURPOSES: tuple[str, ...] = get_args(Purpose)
Nature = Literal["hard_ad", "soft_article"]
NATURES: tuple[str, ...] = get_args(Nature)
EVERY_DAYS = 2


def gaps(published: Iterable[date], start: date, end: date, every_days: int = EVERY_DAYS) -> list[tuple[date, date]]:
    """The windows of ``every_days`` consecutive days within ``start``..``end`` with no article,
    merged into runs: [(first day, last day)] of each stretch that breaks the rule.

    >>> gaps([date(2026, 11, 2), date(2026, 11, 3)], date(2026, 11, 1), date(2026, 11, 6))
    [(datetime.date(2026, 11, 4), datetime.date(2026, 11, 6))]
    """
    days = set(published)
    bad: list[tuple[date, date]] = []
    first = start
    while first + timedelta(days=every_days - 1) <= end:
        window = [first + timedelta(days=n) for n in range(every_days)]
        if not days.intersection(window):
            if bad and bad[-1][1] >= window[0] - timedelta(days=1):
                bad[-1] = (bad[-1][0], window[-1])
            else:
                bad.append((window[0], window[-1]))
        first += timedelta(days=1)
    return bad
