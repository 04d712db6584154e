from __future__ import annotations

import asyncio

import pytest

from inviteonce_desktop.services.calendars.errors import CalendarUnavailable, RateLimited
from inviteonce_desktop.services.calendars.retry import (
    RetryPolicy,
    parse_retry_after,
    with_retries,
)


class Flaky:
    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def _run(call: Flaky, policy: RetryPolicy, waits: list[float]) -> str:
    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return asyncio.run(with_retries(call, policy, sleep))


def test_rate_limits_are_retried_after_retry_after() -> None:
    waits: list[float] = []
    call = Flaky([RateLimited("slow down", 2.0), RateLimited("slow down", 0.5)])
    assert _run(call, RetryPolicy(attempts=3), waits) == "ok"
    assert waits == [2.0, 0.5] and call.calls == 3


def test_without_retry_after_the_backoff_grows() -> None:
    waits: list[float] = []
    call = Flaky([RateLimited("slow down"), RateLimited("slow down")])
    _run(call, RetryPolicy(attempts=3, base_delay=1.0, max_delay=60), waits)
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0


def test_gives_up_after_the_last_attempt() -> None:
    call = Flaky([RateLimited("slow down", 0.0)] * 5)
    with pytest.raises(RateLimited):
        _run(call, RetryPolicy(attempts=2), [])
    assert call.calls == 2


def test_does_not_wait_longer_than_its_patience() -> None:
    call = Flaky([RateLimited("slow down", 3600.0)])
    with pytest.raises(RateLimited):
        _run(call, RetryPolicy(attempts=4, max_delay=30), [])
    assert call.calls == 1


def test_other_errors_are_not_retried() -> None:
    call = Flaky([CalendarUnavailable("timed out")])
    with pytest.raises(CalendarUnavailable):
        _run(call, RetryPolicy(), [])
    assert call.calls == 1


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("7", 7.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds
