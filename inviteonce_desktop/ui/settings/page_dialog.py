"""A Settings page opened in place, over the window that needs it, with a Close button."""

from __future__ import annotations

from ..qt import QDialog, QDialogButtonBox, QVBoxLayout, QWidget


class SettingsPageDialog(QDialog):
    def __init__(self, title: str, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(page)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
