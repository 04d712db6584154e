"""A short-lived cache of rendered link pages.

A page is fresh for ``ttl`` seconds; after that the first request renders it
again while the others still get the copy, so pages are at most ``2 * ttl``
old. Every write made through this process (a booking, a publish, a cancel)
empties the cache at once, so only bookings made by other workers can take
that long to show. A stale page can never cause a
double booking: the POST always decides against the database.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

_MAX_PAGES = 2048


class PageCache:
    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._pages: OrderedDict[tuple[str, str], tuple[float, bytes]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[str, str]) -> bytes | None:
        if self._ttl <= 0:
            return None
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            now = self._clock()
            if found[0] < now:
                # This caller renders afresh; the others keep the copy meanwhile.
                self._pages[key] = (now + self._ttl, found[1])
                return None
            return found[1]

    def put(self, key: tuple[str, str], body: bytes) -> None:
        if self._ttl <= 0:
            return
        with self._lock:
            self._pages[key] = (self._clock() + self._ttl, body)
            self._pages.move_to_end(key)
            while len(self._pages) > _MAX_PAGES:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
