"""How the application talks to the user about what happened.

Code that is not a widget reports through :class:`MessageBridge`; the main
window listens and shows the message in its status bar or a dialog. Expected
failures become one sentence; anything else is a bug and goes to the crash
dialog installed by :func:`install_excepthook`.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from ..application.errors import user_message
from .qt import QMessageBox, QObject, QWidget, Signal


class MessageBridge(QObject):
    """Messages for the user, and the count of operations still waiting."""

    error = Signal(str)
    info = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self._busy = 0

    @property
    def busy(self) -> bool:
        return self._busy > 0

    def show_error(self, text: str) -> None:
        self.error.emit(text)

    def show_info(self, text: str) -> None:
        self.info.emit(text)

    @contextmanager
    def operation(self, *controls: QWidget) -> Iterator[None]:
        """Disable *controls* and show progress while the block runs.

        An expected failure inside the block is shown as a message and stops there;
        a bug propagates to the crash dialog.
        """
        for control in controls:
            control.setEnabled(False)
        self._change_busy(+1)
        try:
            yield
        except Exception as error:
            text = user_message(error)
            if text is None:
                raise
            self.show_error(text)
        finally:
            self._change_busy(-1)
            for control in controls:
                control.setEnabled(True)

    def _change_busy(self, delta: int) -> None:
        was = self.busy
        self._busy += delta
        if was != self.busy:
            self.busy_changed.emit(self.busy)


def install_excepthook(parent_of_dialog: QWidget | None = None) -> None:
    """Show a dialog for bugs instead of a traceback on a terminal nobody reads."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        text = user_message(error)
        if isinstance(error, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        box = QMessageBox(parent_of_dialog)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("InviteOnce")
        if text is not None:
            box.setText(text)
        else:
            box.setText("Something went wrong inside InviteOnce. Your data is safe.")
            box.setInformativeText("Please report this with the details below.")
            box.setDetailedText("".join(traceback.format_exception(kind, error, tb)))
        box.exec()

    sys.excepthook = hook
