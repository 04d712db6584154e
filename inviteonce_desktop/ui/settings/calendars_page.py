"""Settings → Calendars: the built-in calendar and connected accounts."""

from __future__ import annotations

import webbrowser
from typing import Any

from ...application.errors import user_message
from ...application.facade import InviteOnce
from ...application.sign_ins import SignIn
from ..icons import icon
from ..messages import MessageBridge
from ..models import RowsModel
from ..qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
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
_CHOOSABLE = ("caldav", "google", "microsoft")
"""Kinds whose calendar for meetings is chosen from the account's list."""
EXCHANGE_CALENDAR = "Exchange writes meetings to the mailbox's own Calendar folder."


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
        self.reconnect = QPushButton(icon("calendar"), "Reconn&ect")
        self.remove = QPushButton(icon("remove"), "&Remove")
        self.refresh_button = QPushButton(icon("refresh"), "Refresh &now")
        self.collection = QComboBox()
        self.collection.setAccessibleName("Calendar read and written")
        self.collection.setToolTip(
            "Which calendar of this account busy time is read from, and meetings are written to"
        )
        self.collection.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        collection_label = QLabel("Calendar read and &written:")
        collection_label.setBuddy(self.collection)
        self.collection_message = QLabel()
        self.collection_message.setWordWrap(True)
        self.collection_message.setAccessibleName("About the account's calendars")
        self.collection_row = QWidget()
        row = QHBoxLayout(self.collection_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(collection_label)
        row.addWidget(self.collection)
        row.addWidget(self.collection_message, 1)
        self._collections_for: int | None = None
        """The account whose calendars the list shows (or is reading)."""
        self._current: object = None
        """The URL of the calendar the account reads and writes."""
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
        layout.addWidget(self.collection_row)
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
        self.collection.activated.connect(self.on_collection_chosen)
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
        self.collection_row.setVisible(kind in _CHOOSABLE or kind == "exchange")
        if kind not in _CHOOSABLE:
            self._collections_for = None
            if kind == "exchange":
                self.collection.clear()
                self.collection.setEnabled(False)
                self._say(EXCHANGE_CALENDAR)
        elif chosen != self._collections_for and chosen is not None:
            self._collections_for = chosen
            self.collection.clear()
            self.collection.setEnabled(False)
            self._say("Reading the account's calendars…")
            self.load_collections(chosen)
        self.working_elsewhere.setVisible(kind == "microsoft")
        account_id = self._selected_account()
        if kind == "microsoft" and account_id is not None:
            account = self._app.calendar_account(account_id)
            self.working_elsewhere.blockSignals(True)
            self.working_elsewhere.setChecked(account.settings.working_elsewhere == "busy")
            self.working_elsewhere.blockSignals(False)

    def _say(self, text: str, error: bool = False) -> None:
        label = self.collection_message
        label.setObjectName("error" if error else "hint")
        label.style().unpolish(label)  # the style sheet's rule for the new name applies
        label.style().polish(label)
        label.setText(text)

    @asyncSlot(int)
    async def load_collections(self, account_id: int) -> None:
        """List the account's calendars by name, the one read and written chosen."""
        try:
            choices = await self._app.calendar_choices(account_id)
        except Exception as error:
            text = user_message(error)
            if text is None:
                raise
            if self._collections_for == account_id:
                self._say(f"The account's calendars could not be listed: {text}", error=True)
            return
        if self._collections_for != account_id:
            return
        for choice in choices:
            if choice.holds_events:
                self.collection.addItem(choice.name, choice.url)
                if choice.current:
                    self.collection.setCurrentIndex(self.collection.count() - 1)
        self._current = self.collection.currentData()
        self.collection.setEnabled(self.collection.count() > 1)
        self._say("" if self.collection.count() else "The account has no calendar for events.")

    @asyncSlot(int)
    async def on_collection_chosen(self, index: int) -> None:
        account_id, url = self._collections_for, self.collection.itemData(index)
        if account_id is None or url is None or url == self._current:
            return
        with self._bridge.operation(self.collection):
            try:
                chosen = await self._app.choose_calendar(account_id, str(url))
            except Exception as error:
                text = user_message(error)
                if text is None:
                    raise
                self.collection.setCurrentIndex(self.collection.findData(self._current))
                self._say(f"The calendar could not be chosen: {text}", error=True)
                return
            self._current = chosen.url
            read = self._app.calendar_account(account_id).kind == "caldav"
            if read:
                self._say(f"Busy time comes from '{chosen.name}'; meetings are written to it.")
            else:
                self._say(f"Meetings are written to '{chosen.name}'; busy time is read per person.")
            report = await self._app.refresh_calendars(account_id)
            if report.problems:
                self._bridge.show_error(" ".join(report.problems))
            else:
                done = "is read and written" if read else "gets the meetings"
                self._bridge.show_info(f"The calendar '{chosen.name}' {done} now.")
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
