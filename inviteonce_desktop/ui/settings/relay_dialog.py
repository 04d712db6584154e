"""Settings → Relay, opened in place from where a link is shown (Step 3)."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ..messages import MessageBridge
from ..qt import QDialog, QDialogButtonBox, QVBoxLayout, QWidget
from .relay_page import RelayPage


class RelaySettingsDialog(QDialog):
    def __init__(
        self, app: InviteOnce, bridge: MessageBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Relay")
        self.page = RelayPage(app, bridge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
