"""Settings → Relay, opened in place from where a link is shown (Step 3)."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ..messages import MessageBridge
from ..qt import QWidget
from .page_dialog import SettingsPageDialog
from .relay_page import RelayPage


class RelaySettingsDialog(SettingsPageDialog):
    def __init__(
        self, app: InviteOnce, bridge: MessageBridge, parent: QWidget | None = None
    ) -> None:
        self.page = RelayPage(app, bridge)
        super().__init__("Relay", self.page, parent)
