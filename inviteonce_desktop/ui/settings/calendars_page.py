"""Settings → Calendars: the built-in calendar and connected accounts."""

from __future__ import annotations

import webbrowser
from typing import Any

from ...application.facade import InviteOnce
from ...application.sign_ins import SignIn
from ..icons import icon
from ..messages import MessageBridge
from ..models import RowsModel
from ..qt import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Slot,
    asyncSlot,
)
from ..widgets import heading, hint, selected_key, table
from .connect_dialog import KINDS, ConnectDialog
from .device_code import DeviceCodeBridge, DeviceCodeDialog

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
        self.choose_button = QPushButton(icon("calendar"), "C&hoose calendar...")
        self.choose_button.setToolTip("Which calendar of this account is read and written")
        self.working_elsewhere = QCheckBox("'Working elsewhere' blocks time")
        self.working_elsewhere.setToolTip(
            "Outlook shows 'working elsewhere' as available; check to treat it as busy."
        )
        self.unreadable = hint("")
        self.unreadable.setObjectName("error")
        self.unreadable.setAccessibleName("Calendars that could not be read")
        buttons = QHBoxLayout()
        for button in (
            self.connect_button,
            self.reconnect,
            self.refresh_button,
            self.choose_button,
        ):
            buttons.addWidget(button)
        buttons.addWidget(self.working_elsewhere)
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
        layout.addWidget(self.unreadable)
        layout.addLayout(buttons)
        self.device_codes = DeviceCodeBridge(self)
        self.device_codes.shown.connect(self.on_device_code_shown)
        self.device_dialog: DeviceCodeDialog | None = None
        self.dialog_factory = ConnectDialog
        """Makes the connect dialog; tests hand in one they fill themselves."""
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.reconnect.clicked.connect(self.on_reconnect_clicked)
        self.remove.clicked.connect(self.on_remove_clicked)
        self.refresh_button.clicked.connect(self.on_refresh_clicked)
        self.choose_button.clicked.connect(self.on_choose_clicked)
        self.working_elsewhere.toggled.connect(self.on_working_elsewhere_toggled)
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
        problems = list(self._app.unreadable_calendars().values())
        self.unreadable.setText(
            "No slots are offered for them until it can be read: " + " ".join(problems)
            if problems
            else ""
        )
        self.unreadable.setVisible(bool(problems))
        self.on_selection_changed()

    def _selected_account(self) -> int | None:
        key = selected_key(self.view)
        return key if isinstance(key, int) and key != BUILT_IN else None

    def _selected_kind(self) -> str | None:
        account_id = self._selected_account()
        if account_id is None:
            return None
        return self._app.calendar_account(account_id).kind

    @Slot()
    def on_selection_changed(self) -> None:
        chosen = self._selected_account()
        self.reconnect.setEnabled(chosen is not None)
        self.remove.setEnabled(chosen is not None)
        if chosen is not None:
            needs = self._app.calendar_account(chosen).status == "reconnect"
            self.reconnect.setDefault(needs)
        kind = self._selected_kind()
        self.choose_button.setVisible(kind == "caldav")
        self.working_elsewhere.setVisible(kind == "microsoft")
        account_id = self._selected_account()
        if kind == "microsoft" and account_id is not None:
            account = self._app.calendar_account(account_id)
            self.working_elsewhere.blockSignals(True)
            self.working_elsewhere.setChecked(account.settings.working_elsewhere == "busy")
            self.working_elsewhere.blockSignals(False)

    @asyncSlot()
    async def on_choose_clicked(self) -> None:
        account_id = self._selected_account()
        if account_id is None:
            return
        with self._bridge.operation(self.choose_button):
            choices = await self._app.calendar_choices(account_id)
            names = [c.name for c in choices if c.holds_events]
            current = next((i for i, c in enumerate(choices) if c.current), 0)
            name, ok = QInputDialog.getItem(
                self,
                "Choose calendar",
                "Read busy time from and write meetings to:",
                names,
                min(current, max(len(names) - 1, 0)),
                False,
            )
            if not ok:
                return
            chosen = await self._app.choose_calendar(account_id, name)
            await self._app.refresh_calendars(account_id)
            self._bridge.show_info(f"The calendar '{chosen.name}' is read and written now.")
        self.refresh()

    @Slot(bool)
    def on_working_elsewhere_toggled(self, on: bool) -> None:
        account_id = self._selected_account()
        if account_id is not None:
            with self._bridge.operation(self.working_elsewhere):
                self._app.set_working_elsewhere(account_id, on)

    def on_connect(self, kind: str) -> None:
        dialog = self.dialog_factory(kind, self, self._app.provisioning())
        if dialog.exec():
            self._connect(kind, dialog.sign_in())

    @asyncSlot()
    async def _connect(self, kind: str, sign_in: SignIn) -> None:
        with self._bridge.operation(self.connect_button):
            try:
                await self._app.connect_calendar(sign_in, show_device_code=self.device_codes.show)
            finally:
                self._close_device_code()
            self._bridge.show_info(f"The {KINDS[kind]} calendar is connected.")
        self.refresh()

    @Slot()
    def on_reconnect_clicked(self) -> None:
        account_id = self._selected_account()
        if account_id is not None:
            self.reconnect_account(account_id)

    def reconnect_account(self, account_id: int) -> None:
        """One click: OAuth accounts sign in again at once; password accounts ask for it."""
        account = self._app.calendar_account(account_id)
        oauth = account.kind in ("google", "microsoft") or account.settings.auth == "oauth"
        password = ""
        if not oauth:
            dialog = self.dialog_factory(
                account.kind, self, self._app.provisioning(), reconnecting=account.name
            )
            if not dialog.exec():
                return
            password = dialog.password()
        self._reconnect(account_id, password)

    @asyncSlot()
    async def _reconnect(self, account_id: int, password: str) -> None:
        with self._bridge.operation(self.reconnect):
            try:
                await self._app.reconnect_calendar(
                    account_id,
                    password=password,
                    open_browser=webbrowser.open,
                    show_device_code=self.device_codes.show,
                )
            finally:
                self._close_device_code()
            self._bridge.show_info("The calendar is reconnected.")
        self.refresh()

    @Slot(str)
    def on_device_code_shown(self, message: str) -> None:
        self._close_device_code()
        self.device_dialog = DeviceCodeDialog(message, self)
        self.device_dialog.show()

    def _close_device_code(self) -> None:
        if self.device_dialog is not None:
            self.device_dialog.close()
            self.device_dialog = None

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
            report = await self._app.refresh_calendars(self._selected_account())
            if report.problems:
                self._bridge.show_error(" ".join(report.problems))
            else:
                self._bridge.show_info("Busy time is refreshed.")
        self.refresh()
