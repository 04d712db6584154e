"""One-click Reconnect for a calendar whose sign-in expired or was revoked.

Shown under the wizard's slot count; the tray and Settings → Calendars offer
the same. An OAuth account signs in again at once (browser, else a device code
shown in the window); a password account is sent to Settings for its password.
"""

from __future__ import annotations

import webbrowser

from ..application.facade import CalendarAccount, InviteOnce
from .messages import MessageBridge
from .qt import QHBoxLayout, QLabel, QPushButton, QWidget, Signal, asyncSlot
from .settings.device_code import DeviceCodeBridge, DeviceCodeDialog


def needing_reconnect(app: InviteOnce) -> list[CalendarAccount]:
    return [a for a in app.calendar_accounts() if a.status == "reconnect"]


def signs_in_by_oauth(account: CalendarAccount) -> bool:
    return account.kind in ("google", "microsoft") or account.settings.auth == "oauth"


class Reconnector(QWidget):
    """Runs a reconnect; shows the device code when no browser opens."""

    reconnected = Signal(int)
    settings_requested = Signal(int)
    """A password account: Settings → Calendars asks for the password."""

    def __init__(self, app: InviteOnce, bridge: MessageBridge, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._app = app
        self._bridge = bridge
        self._codes = DeviceCodeBridge(self)
        self._codes.shown.connect(self.on_device_code_shown)
        self.device_dialog: DeviceCodeDialog | None = None

    def start(self, account_id: int) -> None:
        account = self._app.calendar_account(account_id)
        if signs_in_by_oauth(account):
            self._reconnect(account_id)
        else:
            self._bridge.show_info(
                f"Reconnect {account.name} in Settings, Calendars: it needs its password again."
            )
            self.settings_requested.emit(account_id)

    @asyncSlot(int)
    async def _reconnect(self, account_id: int) -> None:
        with self._bridge.operation():
            try:
                await self._app.reconnect_calendar(
                    account_id, open_browser=webbrowser.open, show_device_code=self._codes.show
                )
            finally:
                if self.device_dialog is not None:
                    self.device_dialog.close()
                    self.device_dialog = None
            self._bridge.show_info("The calendar is reconnected.")
            self.reconnected.emit(account_id)

    def on_device_code_shown(self, message: str) -> None:
        self.device_dialog = DeviceCodeDialog(message, self.window())
        self.device_dialog.show()


class ReconnectBar(QWidget):
    """ "<calendar> needs you to sign in again" with a Reconnect button; hidden otherwise."""

    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self.account_id: int | None = None
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton("&Reconnect")
        self.button.setAccessibleName("Reconnect the calendar")
        self.reconnector = Reconnector(app, bridge, self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.button.clicked.connect(self.on_button_clicked)
        self.reconnector.reconnected.connect(lambda _: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        waiting = needing_reconnect(self._app)
        self.account_id = waiting[0].id if waiting else None
        self.setVisible(bool(waiting))
        if waiting:
            names = ", ".join(a.name for a in waiting)
            self.text.setText(
                f"Busy time of {names} is not current: sign in again to count its slots."
            )

    def on_button_clicked(self) -> None:
        if self.account_id is not None:
            self.reconnector.start(self.account_id)
