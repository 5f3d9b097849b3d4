import pytest
from gateway.routing.breaker import Breaker
from gateway.routing.limits import RateLimiter, TooManyRequests


def test_bucket_allows_ten_seconds_worth_then_waits_for_refill(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr("gateway.routing.limits.time.monotonic", lambda: clock[0])
    limiter = RateLimiter()
    for _ in range(10):
        limiter.check("u", 60)
    with pytest.raises(TooManyRequests) as limited:
        limiter.check("u", 60)
    assert limited.value.headers["Retry-After"] == "1"
    headers = limited.value.headers
    assert (headers["RateLimit-Limit"], headers["RateLimit-Remaining"], headers["RateLimit-Reset"]) == ("60", "0", "1")
    clock[0] += 1.0
    limiter.check("u", 60)
    limiter.check("other", 60)  # buckets are per user or key


def test_breaker_opens_after_threshold_and_half_opens_after_cooldown() -> None:
    breaker = Breaker(threshold=3, cooldown=10)
    for _ in range(2):
        breaker.failed(now=0)
    assert breaker.allows(now=1)
    breaker.failed(now=1)
    assert not breaker.allows(now=5) and breaker.retry_after(now=5) == 7
    assert breaker.allows(now=11)  # one probe
    assert not breaker.allows(now=12)
    breaker.succeeded()
    assert breaker.allows(now=12)


def test_replicas_split_the_limit_and_a_change_keeps_the_fraction_left(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr("gateway.routing.limits.time.monotonic", lambda: clock[0])
    limiter = RateLimiter()
    for _ in range(8):
        limiter.check("u", 60)  # 8 of a burst of 10: a fifth left
    limiter.share = 2  # a second replica: 30 a minute here, a burst of 5, a fifth of it left
    limiter.check("u", 60)
    with pytest.raises(TooManyRequests) as limited:
        limiter.check("u", 60)
    assert limited.value.headers["Retry-After"] == "2"  # half a token a second now
    clock[0] += 2.0
    limiter.check("u", 60)
    with pytest.raises(TooManyRequests):
        limiter.check("u", 60)
    limiter.share = 1  # the other replica stopped: a token a second again
    clock[0] += 1.0
    limiter.check("u", 60)
