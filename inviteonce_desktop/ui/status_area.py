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
        self._busy = False
        self._opening = False
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
        self._busy = busy
        self.progress.setVisible(self._busy or self._opening)

    def set_opening(self, opening: bool) -> None:
        """Progress and a lasting message while the workspace opens."""
        self._opening = opening
        self.progress.setVisible(self._busy or self._opening)
        self.set_connection_shown(not opening)
        if opening:
            self.showMessage("Opening your workspace...")
        else:
            self.clearMessage()

    def set_connection_shown(self, shown: bool) -> None:
        """Online or offline means nothing until a workspace is open."""
        self.connection_icon.setVisible(shown)
        self.connection.setVisible(shown)

    @Slot(str)
    def show_info(self, text: str) -> None:
        self.showMessage(text, INFO_MS)
