"""The live count of available time slots, refreshed as the wizard's fields change.

Changes are debounced; each count runs in the facade's worker thread so the
window never freezes, and a result that arrives after a newer request started
is dropped. Busy time older than the refresh interval is read again first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from ...application.errors import user_message
from ...application.facade import InviteOnce, SlotCount
from ...application.schedules import SlotRequest
from ..qt import QObject, QTimer, Signal, asyncSlot

DEBOUNCE_MS = 150
log = logging.getLogger(__name__)


class SlotCounter(QObject):
    counting = Signal()
    counted = Signal(int, str)
    """The number of slots, and why there are none when it is zero."""
    invalid = Signal(str)
    """The fields do not describe a request yet; the sentence says what is wrong."""

    def __init__(self, app: InviteOnce, request: Callable[[], SlotRequest]) -> None:
        super().__init__()
        self._app = app
        self._request = request
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_now)
        self.last: SlotCount | None = None
        self._last_read = -1e9

    def schedule(self) -> None:
        """Count again once the fields have been still for a moment."""
        self._generation += 1
        self.last = None
        self.counting.emit()
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self.last is None

    async def _read_calendars_if_stale(self, request: SlotRequest) -> None:
        """Read the connected calendars first when their busy time is older than the
        refresh interval (at most once an interval: an unreadable one stays unknown)."""
        interval = self._app.calendar_refresh_interval().total_seconds()
        if time.monotonic() - self._last_read < interval:
            return
        if not await asyncio.to_thread(self._app.busy_is_stale, request):
            return
        self._last_read = time.monotonic()
        try:
            await self._app.refresh_for(request)
        except Exception as error:  # the count goes on with the busy time it has
            if user_message(error) is None:
                raise
            log.info("Reading the calendars before counting: %s", error)

    @asyncSlot()
    async def refresh_now(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self.last = None
        try:
            request = self._request()
            await self._read_calendars_if_stale(request)
            if generation != self._generation:
                return
            result = await self._app.count_slots(request)
        except Exception as error:
            text = user_message(error)
            if text is None:
                raise
            if generation == self._generation:
                self.last = SlotCount(0, text)
                self.invalid.emit(text)
            return
        if generation == self._generation:
            self.last = result
            self.counted.emit(result.count, result.reason)
