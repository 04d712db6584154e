"""Settings → Calendars: each kind's connect dialog, filled and sent as a person does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.services.calendars.connected import PASSWORD
from inviteonce_desktop.ui.messages import MessageBridge
from inviteonce_desktop.ui.qt import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QEventLoop,
    QLineEdit,
    Qt,
    QTimer,
)
from inviteonce_desktop.ui.settings.calendars_page import CalendarsPage
from inviteonce_desktop.ui.settings.connect_dialog import ConnectDialog
from tests.integration.calendars.fakes.ews import PATH as EWS_PATH
from tests.integration.calendars.fakes.ews import FakeExchange
from tests.integration.calendars.fakes.radicale import RadicaleServer, radicale_server
from tests.integration.calendars.fakes.server import serve
from tests.ui.wizard_driver import Wait

Fill = Callable[[ConnectDialog], None]


class Page:
    def __init__(self, qtbot: QtBot, app: InviteOnce) -> None:
        self.bridge = MessageBridge()
        self.infos: list[str] = []
        self.errors: list[str] = []
        self.bridge.info.connect(self.infos.append)
        self.bridge.error.connect(self.errors.append)
        self.widget = CalendarsPage(app, self.bridge)
        self._qtbot = qtbot
        qtbot.addWidget(self.widget)
        self.widget.show()

    def connect(self, kind: str, fields: dict[str, str], auth: str | None = None) -> None:
        """Choose *kind* in the Connect menu, type *fields* into the dialog, press Connect."""

        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, ConnectDialog) and dialog.objectName() == f"connect-{kind}"
            for name, text in fields.items():
                edit = next(e for e in dialog.findChildren(QLineEdit) if e.accessibleName() == name)
                self._qtbot.keyClicks(edit, text)
            if auth is not None:
                combo = dialog.findChild(QComboBox)
                combo.setCurrentIndex(combo.findData(auth))
            buttons = dialog.findChild(QDialogButtonBox)
            buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        QTimer.singleShot(0, answer)
        self.widget.on_connect(kind)

    def rows(self) -> list[str]:
        model = self.widget.model
        return [model.index(row, 0).data() for row in range(model.rowCount())]


@pytest.fixture
def page(qtbot: QtBot, app: InviteOnce, qloop: QEventLoop) -> Page:
    return Page(qtbot, app)


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[RadicaleServer]:
    folder = tmp_path / "radicale"
    folder.mkdir()
    with radicale_server(folder, {"ann": "ann-app-password"}) as server:
        yield server


def test_caldav_connects_and_keeps_the_password_in_the_keyring(
    page: Page, app: InviteOnce, radicale: RadicaleServer, wait: Wait
) -> None:
    import caldav

    with caldav.DAVClient(url=radicale.url, username="ann", password="ann-app-password") as dav:
        dav.principal().make_calendar(name="Ann", cal_id="ann-main")
    fields = {
        "Server URL": radicale.url,
        "User name": "ann",
        "App password": "ann-app-password",
        "Email address (optional)": "ann@example.com",
    }
    page.connect("caldav", fields)
    wait(lambda: page.infos or page.errors)
    assert page.errors == []
    assert page.infos == ["The CalDAV (Nextcloud, iCloud, Fastmail) calendar is connected."]
    [account] = app.calendar_accounts()
    assert account.settings.calendar.endswith("/ann/ann-main/")
    assert app.credentials.get(account.id, PASSWORD) == "ann-app-password"
    assert page.rows() == ["Built-in calendar", account.name]


def test_exchange_connects_with_the_chosen_sign_in_method(
    page: Page, app: InviteOnce, wait: Wait
) -> None:
    fake = FakeExchange()
    with serve(fake.app()) as url:
        fields = {
            "Email address": fake.mailbox,
            "User name": fake.user,
            "Password": fake.password,
            "Server (optional)": f"{url}{EWS_PATH}",
        }
        page.connect("exchange", fields, auth="basic")
        wait(lambda: page.infos or page.errors)
    assert page.errors == []
    [account] = app.calendar_accounts()
    assert (account.kind, account.settings.auth) == ("exchange", "basic")
    assert page.rows() == ["Built-in calendar", fake.mailbox]


def test_google_without_its_client_file_says_so_and_connects_nothing(
    page: Page, app: InviteOnce, tmp_path: Path, wait: Wait
) -> None:
    missing = tmp_path / "client_secret.json"
    page.connect("google", {"OAuth client ID file": str(missing)})
    wait(lambda: page.infos or page.errors)
    assert page.errors == [f"The Google client ID file '{missing}' does not exist."]
    assert app.calendar_accounts() == []
    assert page.rows() == ["Built-in calendar"]


def test_microsoft_without_an_application_id_asks_for_it(
    page: Page, app: InviteOnce, wait: Wait
) -> None:
    page.connect("microsoft", {})
    wait(lambda: page.infos or page.errors)
    assert page.errors == ["Enter the client id."]
    assert app.calendar_accounts() == []


def _ann_with_two_calendars(radicale: RadicaleServer) -> None:
    import caldav

    with caldav.DAVClient(url=radicale.url, username="ann", password="ann-app-password") as dav:
        principal = dav.principal()
        principal.make_calendar(name="Ann", cal_id="ann-main")
        principal.make_calendar(name="Ann at work", cal_id="ann-work")


def _connect_ann(page: Page, radicale: RadicaleServer, wait: Wait) -> None:
    fields = {
        "Server URL": radicale.url,
        "User name": "ann",
        "App password": "ann-app-password",
        "Email address (optional)": "ann@example.com",
    }
    page.connect("caldav", fields)
    wait(lambda: page.infos or page.errors)
    assert page.errors == []


def test_the_calendar_read_and_written_is_chosen_by_name(
    qtbot: QtBot, page: Page, app: InviteOnce, radicale: RadicaleServer, wait: Wait
) -> None:
    _ann_with_two_calendars(radicale)
    _connect_ann(page, radicale, wait)
    [account] = app.calendar_accounts()
    first = account.settings.calendar
    widget = page.widget
    widget.view.selectRow(1)
    combo = widget.collection
    assert widget.collection_row.isVisible()
    wait(lambda: combo.isEnabled())
    names = [combo.itemText(i) for i in range(combo.count())]
    assert sorted(names) == ["Ann", "Ann at work"]
    assert combo.currentData() == first
    other = next(i for i in range(combo.count()) if combo.itemData(i) != first)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down if other > combo.currentIndex() else Qt.Key.Key_Up)
    wait(lambda: app.calendar_account(account.id).settings.calendar != first)
    chosen = app.calendar_account(account.id).settings.calendar
    assert chosen.rstrip("/").endswith(("/ann-main", "/ann-work"))
    assert chosen == combo.itemData(other)
    wait(lambda: any("is read and written now" in info for info in page.infos))
    assert f"'{combo.itemText(other)}'" in widget.collection_message.text()


def test_an_account_whose_calendars_cannot_be_listed_says_so_in_the_window(
    page: Page, app: InviteOnce, tmp_path: Path, wait: Wait
) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    with radicale_server(folder, {"ann": "ann-app-password"}) as server:
        _ann_with_two_calendars(server)
        _connect_ann(page, server, wait)
    widget = page.widget
    widget.view.selectRow(1)
    wait(lambda: "could not be listed" in widget.collection_message.text())
    assert widget.collection_message.objectName() == "error"
    assert not widget.collection.isEnabled()
