"""Settings → Mail sending, opened in place from where mail is needed (Step 3, an invitation)."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ..messages import MessageBridge
from ..qt import QDialog, QDialogButtonBox, QVBoxLayout, QWidget
from .mail_page import MailPage


class MailSettingsDialog(QDialog):
    def __init__(
        self, app: InviteOnce, bridge: MessageBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mail sending")
        self.page = MailPage(app, bridge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.page.saved.connect(self.accept)
