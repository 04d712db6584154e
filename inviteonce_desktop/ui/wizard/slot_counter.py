"""The live count of available time slots, refreshed as the wizard's fields change.

Changes are debounced; each count runs in the facade's worker thread so the
window never freezes, and a result that arrives after a newer request started
is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from ...application.errors import user_message
from ...application.facade import InviteOnce, SlotCount
from ...application.schedules import SlotRequest
from ..qt import QObject, QTimer, Signal, asyncSlot

DEBOUNCE_MS = 150


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

    def schedule(self) -> None:
        """Count again once the fields have been still for a moment."""
        self._generation += 1
        self.last = None
        self.counting.emit()
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self.last is None

    @asyncSlot()
    async def refresh_now(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self.last = None
        try:
            request = self._request()
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
