"""The live count of available time slots, refreshed as the wizard's fields change.

Changes are debounced; each count runs in the facade's worker thread so the
window never freezes, and a result that arrives after a newer request started
is dropped. When the connected calendars' busy time is older than the refresh
interval, the count comes at once from the busy time already read (marked as
refreshing, so the window says how old it is), and again when the calendars have
been read. Busy time that is unknown stays busy in both counts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

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
        self.refreshing = False
        """``last`` comes from busy time that is being read again; a fresh count follows."""
        self._last_read = -1e9
        self._reading: asyncio.Task[Any] | None = None
        self._started: tuple[SlotRequest, asyncio.Future[SlotCount]] | None = None
        """A count already under way in the worker thread, for refresh_now to take."""

    def schedule(self) -> None:
        """Count again once the fields have been still for a moment."""
        self._generation += 1
        self._started = None
        self.last = None
        self.refreshing = False
        self.counting.emit()
        self._timer.start()

    def start_now(self) -> None:
        """Count at once: the work starts in the worker thread right away, while the window
        paints the page, rather than at the event loop's next turn."""
        self._timer.stop()
        try:
            request = self._request()
        except Exception as error:
            if user_message(error) is None:
                raise
        else:
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(None, self._app.count_slots_now, request)
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
            self._started = (request, future)
        self.refresh_now()

    @property
    def pending(self) -> bool:
        """No count yet, or only the one from busy time that is being read again."""
        return self.last is None or self.refreshing

    def _needs_read(self, counted: SlotCount) -> bool:
        """Whether the calendars behind *counted* should be read before the count is final:
        busy time older than the refresh interval, unknown, or a read already under way
        (at most once an interval: an unreadable calendar stays unknown)."""
        if self._reading is not None and not self._reading.done():
            return True  # a newer count waits for the read an older one started
        interval = self._app.calendar_refresh_interval().total_seconds()
        if time.monotonic() - self._last_read < interval:
            return False
        return counted.stale or bool(counted.unknown)

    async def _read_calendars(self, request: SlotRequest) -> None:
        if self._reading is None or self._reading.done():
            self._last_read = time.monotonic()
            self._reading = asyncio.ensure_future(self._app.refresh_for(request))
        reading = self._reading
        try:
            await asyncio.shield(reading)
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
        self.refreshing = False
        started, self._started = self._started, None
        try:
            if started is not None:
                request, counting = started
                result = await counting
            else:
                request = self._request()
                result = await self._app.count_slots(request)
            if generation != self._generation:
                return
            if self._needs_read(result):
                self.last, self.refreshing = result, True
                self.counted.emit(result.count, result.reason)
                await self._read_calendars(request)
                if generation != self._generation:
                    return
                result = await self._app.count_slots(request)
        except Exception as error:
            text = user_message(error)
            if text is None:
                raise
            if generation == self._generation:
                self.last, self.refreshing = SlotCount(0, text), False
                self.invalid.emit(text)
            return
        if generation == self._generation:
            self.last, self.refreshing = result, False
            self.counted.emit(result.count, result.reason)
