"""Retrying calls that a calendar service rate-limited.

A :class:`RateLimited` error is retried after the server's Retry-After, or
after an exponential backoff when it gave none; a Retry-After longer than the
policy's patience is not waited for. Other errors pass straight through: a
timeout is reported for its account at once instead of holding up the rest.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from .errors import RateLimited

T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4
    """How many times a call is made in all, the first one included."""
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt number *attempt* + 1 (counting from 0)."""
        if retry_after is not None:
            return max(0.0, retry_after)
        backoff = self.base_delay * (2**attempt)
        return float(min(self.max_delay, backoff * (0.5 + random.random() / 2)))


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """Await ``call()``, calling it again while it is rate-limited and attempts remain."""
    attempt = 0
    while True:
        try:
            return await call()
        except RateLimited as limited:
            wait = policy.delay(attempt, limited.retry_after)
            attempt += 1
            if attempt >= policy.attempts or wait > policy.max_delay:
                raise
        await sleep(wait)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return _retry_after_date(value)
    return max(0.0, seconds)


def _retry_after_date(value: str) -> float | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
