"""A circuit breaker per service: after repeated failures the gateway answers 503 at once for that
service's routes for a while instead of piling up requests, then lets one request probe it."""

import time
from dataclasses import dataclass


@dataclass
class Breaker:
    threshold: int = 5
    cooldown: float = 10.0
    failures: int = 0
    opened_at: float | None = None

    def allows(self, now: float | None = None) -> bool:
        if self.opened_at is None:
            return True
        now = time.monotonic() if now is None else now
        if now - self.opened_at >= self.cooldown:
            self.opened_at = now  # half-open: this request probes; others wait another cooldown
            return True
        return False

    def succeeded(self) -> None:
        self.failures = 0
        self.opened_at = None

    def failed(self, now: float | None = None) -> None:
        self.failures += 1
        if self.failures >= self.threshold:
            self.opened_at = time.monotonic() if now is None else now

    def retry_after(self, now: float | None = None) -> int:
        if self.opened_at is None:
            return 0
        now = time.monotonic() if now is None else now
        return max(1, int(self.cooldown - (now - self.opened_at)) + 1)
