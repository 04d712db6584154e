"""Settings → Calendars: the built-in calendar and connected accounts."""

from __future__ import annotations

from typing import Any

from ...application.facade import InviteOnce
from ...application.sign_ins import SignIn
from ..icons import icon
from ..messages import MessageBridge
from ..models import RowsModel
from ..qt import QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget, Slot, asyncSlot
from ..widgets import heading, hint, selected_key, table
from .connect_dialog import KINDS, ConnectDialog

HEADERS = ["Calendar", "Kind", "Status", "Last refresh", "Last error"]
BUILT_IN = 0


class CalendarsPage(QWidget):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.model = RowsModel(HEADERS)
        self.view = table(self.model, "Connected calendars")
        self.connect_button = QPushButton(icon("add"), "&Connect a calendar...")
        menu = QMenu(self.connect_button)
        for kind, label in KINDS.items():
            menu.addAction(label).triggered.connect(lambda _=False, k=kind: self.on_connect(k))
        self.connect_button.setMenu(menu)
        self.reconnect = QPushButton(icon("calendar"), "Re&connect")
        self.remove = QPushButton(icon("remove"), "&Remove")
        self.refresh_button = QPushButton(icon("refresh"), "Refresh &now")
        buttons = QHBoxLayout()
        for button in (self.connect_button, self.reconnect, self.refresh_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Calendars", 2))
        layout.addWidget(
            hint(
                "Busy time comes from these calendars, and meetings are written to them. "
                "Passwords and tokens stay in your system's keyring."
            )
        )
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.reconnect.clicked.connect(self.on_reconnect_clicked)
        self.remove.clicked.connect(self.on_remove_clicked)
        self.refresh_button.clicked.connect(self.on_refresh_clicked)
        self.refresh()

    def refresh(self) -> None:
        rows: list[list[Any]] = [["Built-in calendar", "Local", "Ready", "always current", ""]]
        keys: list[int] = [BUILT_IN]
        for account in self._app.calendar_accounts():
            last = account.last_refresh
            rows.append(
                [
                    account.name,
                    KINDS.get(account.kind, account.kind),
                    account.status,
                    f"{last:%Y-%m-%d %H:%M}" if last else "never",
                    account.last_error or "",
                ]
            )
            keys.append(account.id)
        self.model.set_rows(rows, keys)
        self.on_selection_changed()

    def _selected_account(self) -> int | None:
        key = selected_key(self.view)
        return key if isinstance(key, int) and key != BUILT_IN else None

    @Slot()
    def on_selection_changed(self) -> None:
        chosen = self._selected_account() is not None
        self.reconnect.setEnabled(chosen)
        self.remove.setEnabled(chosen)

    def on_connect(self, kind: str) -> None:
        dialog = ConnectDialog(kind, self)
        if dialog.exec():
            self._connect(kind, dialog.sign_in())

    @asyncSlot()
    async def _connect(self, kind: str, sign_in: SignIn) -> None:
        with self._bridge.operation(self.connect_button):
            await self._app.connect_calendar(sign_in)
            self._bridge.show_info(f"The {KINDS[kind]} calendar is connected.")
        self.refresh()

    @Slot()
    def on_reconnect_clicked(self) -> None:
        account_id = self._selected_account()
        if account_id is None:
            return
        for account in self._app.calendar_accounts():
            if account.id == account_id:
                self.on_connect(account.kind)

    @Slot()
    def on_remove_clicked(self) -> None:
        account_id = self._selected_account()
        if account_id is not None:
            with self._bridge.operation(self.remove):
                self._app.remove_calendar(account_id)
                self._bridge.show_info("The calendar is removed.")
            self.refresh()

    @asyncSlot()
    async def on_refresh_clicked(self) -> None:
        with self._bridge.operation(self.refresh_button):
            await self._app.refresh_calendars(self._selected_account())
            self._bridge.show_info("Busy time is refreshed.")
        self.refresh()
