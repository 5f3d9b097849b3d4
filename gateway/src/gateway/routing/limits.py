"""Rate limits per user and per API key: a token bucket each, refilled continuously.

Kept in the gateway process, so no request waits on a shared store: with several gateway replicas
each enforces its share, ``limit / share``, where ``share`` is the number of replicas serving
(``gateway.routing.replicas`` keeps it current)."""

import math
import time
from dataclasses import dataclass

from servicekit.errors import Problem


class TooManyRequests(Problem):
    status, code = 429, "rate-limited"


@dataclass
class Bucket:
    capacity: float
    per_second: float
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now

    def resize(self, now: float, capacity: float, per_second: float) -> None:
        """A new rate (the limit or the number of replicas changed): what is left of the burst stays
        the same fraction of it."""
        self.refill(now)
        self.tokens *= capacity / self.capacity
        self.capacity, self.per_second = capacity, per_second

    def take(self, now: float) -> float:
        """0 when a token was taken, else the seconds until one is there."""
        self.refill(now)
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


class RateLimiter:
    def __init__(self, max_buckets: int = 100_000) -> None:
        self.buckets: dict[str, Bucket] = {}
        self.max_buckets = max_buckets
        self.share = 1
        """How many replicas split each limit (this one included)."""

    def check(self, who: str, per_minute: int) -> None:
        now = time.monotonic()
        per_second = per_minute / 60 / self.share
        burst = max(1.0, per_second * 10)  # ten seconds' worth
        bucket = self.buckets.get(who)
        if bucket is None:
            if len(self.buckets) >= self.max_buckets:
                self.buckets.clear()
            bucket = self.buckets[who] = Bucket(capacity=burst, per_second=per_second, tokens=burst, stamp=now)
        elif bucket.per_second != per_second:
            bucket.resize(now, burst, per_second)
        wait = bucket.take(now)
        if wait:
            seconds = max(1, math.ceil(wait))
            raise TooManyRequests(
                f"rate limit of {per_minute} requests a minute reached; retry in {seconds} s",
                headers={
                    "Retry-After": str(seconds),
                    "RateLimit-Limit": str(per_minute),
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": str(seconds),
                },
            )
