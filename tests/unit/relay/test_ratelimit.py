from __future__ import annotations

from inviteonce_desktop.relay.ratelimit import RateLimiter


def test_a_burst_then_the_refill_rate_per_client() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert [limiter.retry_after("a") for _ in range(3)] == [0.0, 0.0, 1.0]
    assert limiter.retry_after("b") == 0.0
    now[0] = 1.0
    assert limiter.retry_after("a") == 0.0


def test_a_zero_rate_means_no_limit() -> None:
    limiter = RateLimiter(per_minute=0, burst=1)
    assert all(limiter.retry_after("a") == 0.0 for _ in range(100))
