"""Rate limits per user and per API key: a token bucket each, refilled continuously.

Kept in the gateway process: with several gateway replicas each enforces its share (the limit per
replica is the configured one), which bounds abuse without a shared store on the request path."""

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

    def take(self, now: float) -> float:
        """0 when a token was taken, else the seconds until one is there."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


class RateLimiter:
    def __init__(self, max_buckets: int = 100_000) -> None:
        self.buckets: dict[str, Bucket] = {}
        self.max_buckets = max_buckets

    def check(self, who: str, per_minute: int) -> None:
        now = time.monotonic()
        bucket = self.buckets.get(who)
        if bucket is None or bucket.per_second != per_minute / 60:
            if len(self.buckets) >= self.max_buckets:
                self.buckets.clear()
            burst = max(1.0, per_minute / 6)  # ten seconds' worth
            bucket = self.buckets[who] = Bucket(capacity=burst, per_second=per_minute / 60, tokens=burst, stamp=now)
        wait = bucket.take(now)
        if wait:
            seconds = max(1, math.ceil(wait))
            raise TooManyRequests(
                f"rate limit of {per_minute} requests a minute reached; retry in {seconds} s",
                headers={"Retry-After": str(seconds)},
            )
