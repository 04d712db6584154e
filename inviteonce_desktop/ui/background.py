"""Work that runs while the window is open: the embedded relay and the sync loop."""

from __future__ import annotations

import asyncio
import contextlib
import sys

from ..application.errors import user_message
from ..application.facade import InviteOnce
from ..application.sync_lock import SyncAlreadyRunning
from ..core.meeting import Meeting
from .messages import MessageBridge
from .qt import QObject, Signal

OWNER = "The InviteOnce window"


class Background(QObject):
    booked = Signal(object)
    """A Meeting: a customer picked a time."""
    online_changed = Signal(bool)

    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())
            self._task.add_done_callback(self._on_done)

    @staticmethod
    def _on_done(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and (error := task.exception()) is not None:
            sys.excepthook(type(error), error, error.__traceback__)

    async def _run(self) -> None:
        lock = self._app.sync_lock(OWNER)
        try:
            lock.acquire()
        except SyncAlreadyRunning as error:
            self._bridge.show_error(str(error))
            return
        try:
            await self._app.start_relay()
        except Exception as error:
            text = user_message(error)
            if text is None:
                lock.release()
                raise
            self._bridge.show_error(f"The relay did not start: {text}")
        await self._app.run_background(lock, self._on_booking, self._on_online)

    def _on_booking(self, meeting: Meeting) -> None:
        self.booked.emit(meeting)

    def _on_online(self, online: bool) -> None:
        self.online_changed.emit(online)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
