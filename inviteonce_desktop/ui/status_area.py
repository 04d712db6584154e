"""The status bar: online or offline, progress while something waits, and messages."""

from __future__ import annotations

from .icons import icon
from .qt import QLabel, QProgressBar, QStatusBar, Qt, Slot

INFO_MS = 6000


class StatusArea(QStatusBar):
    def __init__(self) -> None:
        super().__init__()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Working")
        self.progress.hide()
        self.connection_icon = QLabel()
        self.connection = QLabel()
        self.connection.setAccessibleName("Connection")
        self.connection.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.connection_icon)
        self.addPermanentWidget(self.connection)
        self.online = True
        self.set_online(True)

    @Slot(bool)
    def set_online(self, online: bool) -> None:
        self.online = online
        self.connection_icon.setPixmap(icon("online" if online else "offline").pixmap(14, 14))
        self.connection.setText(
            "Online" if online else "Offline: drafts and invitations wait until you are back"
        )

    @Slot(bool)
    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)

    @Slot(str)
    def show_info(self, text: str) -> None:
        self.showMessage(text, INFO_MS)
