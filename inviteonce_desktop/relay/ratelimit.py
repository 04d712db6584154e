"""Per-client token buckets for bookings (kept in each worker's memory)."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from .clock import Clock, system_clock

_MAX_CLIENTS = 50_000


class RateLimiter:
    """Allows *burst* actions at once per client, refilled at *per_minute*."""

    def __init__(self, per_minute: float, burst: int, clock: Clock = system_clock) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = Lock()

    def retry_after(self, client: str) -> float:
        """0 when *client* may act now (and it is counted), else seconds to wait."""
        if self._rate <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self._burst, now))
            tokens = min(self._burst, tokens + (now - last) * self._rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1.0 - tokens) / self._rate
            while len(self._buckets) > _MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait
