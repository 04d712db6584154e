"""Settings → Mail sending, opened in place from where mail is needed (Step 3, an invitation)."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ..messages import MessageBridge
from ..qt import QWidget
from .mail_page import MailPage
from .page_dialog import SettingsPageDialog


class MailSettingsDialog(SettingsPageDialog):
    def __init__(
        self, app: InviteOnce, bridge: MessageBridge, parent: QWidget | None = None
    ) -> None:
        self.page = MailPage(app, bridge)
        super().__init__("Mail sending", self.page, parent)
        self.page.saved.connect(self.accept)
