"""A Settings page opened in place, over the window that needs it, with a Close button."""

from __future__ import annotations

from ..qt import QDialog, QDialogButtonBox, QShowEvent, QVBoxLayout, QWidget
from ..screen import fit_to_screen
from ..widgets import scrolling

ROOM = 48
"""Around the page: the dialog's margins, its buttons' spacing and a scroll bar."""


class SettingsPageDialog(QDialog):
    def __init__(self, title: str, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(page), 1)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        # The whole page where the screen allows it; it scrolls on a short screen.
        hint = page.sizeHint()
        self.resize(hint.width() + ROOM, hint.height() + buttons.sizeHint().height() + ROOM)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        fit_to_screen(self)
