"""The left-hand list that picks the main window's page."""

from __future__ import annotations

from .icons import icon
from .qt import QListWidget, QListWidgetItem, QSize


class Navigation(QListWidget):
    def __init__(self, pages: list[tuple[str, str]]) -> None:
        """*pages* are (label, icon name), in the order of the window's stack."""
        super().__init__()
        self.setObjectName("navigation")
        self.setAccessibleName("Pages")
        self.setIconSize(QSize(22, 22))
        self.setFixedWidth(150)
        self.setSpacing(2)
        for label, icon_name in pages:
            item = QListWidgetItem(icon(icon_name), label)
            item.setToolTip(label)
            self.addItem(item)
        self.setCurrentRow(0)
