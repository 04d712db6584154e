"""A cache of rendered link pages that is never behind the database.

Each copy remembers the relay's change counter (``relay_version``, raised by
every publish, cancel and booking on any worker or host) at the time it was
rendered, and the instant its content runs out on its own (the offer expires,
or a slot passes its minimum notice). A copy is served only while the counter
is unchanged and that instant has not come, and for at most ``ttl`` seconds;
so a cancel, a booking or an expiry shows on the next page every worker
serves. The counter costs one indexed read per page, instead of a render.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

_MAX_PAGES = 2048


@dataclass(frozen=True, slots=True)
class _Copy:
    body: bytes
    version: int
    until: float
    """Wall-clock instant (the relay's clock) when the content changes on its own."""
    born: float
    """The cache's monotonic clock when rendered."""


class PageCache:
    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._pages: OrderedDict[tuple[str, str], _Copy] = OrderedDict()
        self._lock = Lock()

    @property
    def enabled(self) -> bool:
        return self._ttl > 0

    def get(self, key: tuple[str, str], version: int, now: float) -> bytes | None:
        """The copy for *key* if it is still what the database says at *version* and *now*."""
        if not self.enabled:
            return None
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            stale = (
                found.version != version
                or now >= found.until
                or self._clock() - found.born >= self._ttl
            )
            if stale:
                del self._pages[key]
                return None
            return found.body

    def put(self, key: tuple[str, str], body: bytes, version: int, until: float) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._pages[key] = _Copy(body, version, until, self._clock())
            self._pages.move_to_end(key)
            while len(self._pages) > _MAX_PAGES:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
