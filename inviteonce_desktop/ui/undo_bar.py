"""A change that waits a few seconds before it happens, shown where the user looks, with Undo.

Nothing is done while the bar counts down: Undo simply forgets the change. When the
time is up (or the window quits) the change is made, once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .qt import QFrame, QHBoxLayout, QLabel, QPushButton, QTimer, Signal, Slot

UNDO_SECONDS = 8
TICK_MS = 200


class UndoBar(QFrame):
    due = Signal(object)
    """The payload of the change whose time is up: make it now."""
    undone = Signal(object)

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.setObjectName("undoBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.clock = clock
        """Seconds, monotonic; the tests pass their own."""
        self.text = QLabel()
        self.text.setAccessibleName("Change that can be undone")
        self.text.setWordWrap(True)
        self.undo = QPushButton("&Undo")
        self.undo.setAccessibleName("Undo")
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.undo)
        self.undo.clicked.connect(self.on_undo)
        self._payload: object | None = None
        self._describe: Callable[[int], str] = str
        self._deadline = 0.0
        self.hide()

    @property
    def payload(self) -> object | None:
        """The change waiting to be made (None: nothing waits)."""
        return self._payload

    def offer(self, payload: object, describe: Callable[[int], str]) -> None:
        """Wait UNDO_SECONDS before *payload* is due; *describe* says it, given the seconds left.

        A change already waiting is made first."""
        self.finish()
        self._payload = payload
        self._describe = describe
        self._deadline = self.clock() + UNDO_SECONDS
        self.tick()
        if self._payload is not None:
            self.show()
            self.timer.start()

    @Slot()
    def tick(self) -> None:
        if self._payload is None:
            return
        left = self._deadline - self.clock()
        if left <= 0:
            self.finish()
            return
        self.text.setText(self._describe(int(left + 0.999)))

    def finish(self) -> None:
        """The waiting change is due now (the time is up, or another change comes)."""
        payload = self.take()
        if payload is not None:
            self.due.emit(payload)

    def take(self) -> object | None:
        """The waiting change, for the caller to make itself (nothing is emitted)."""
        payload, self._payload = self._payload, None
        self._stop()
        return payload

    @Slot()
    def on_undo(self) -> None:
        payload = self.take()
        if payload is not None:
            self.undone.emit(payload)

    def _stop(self) -> None:
        self.timer.stop()
        self.hide()
