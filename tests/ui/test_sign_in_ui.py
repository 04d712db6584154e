"""Signing in from the window: the organization's set-up at first run, the device code shown
with a Copy button, and one-click Reconnect for a revoked sign-in."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.provisioning import ENVIRONMENT
from inviteonce_desktop.application.relay_host import RelaySettings
from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.store.accounts import CalendarAccounts
from inviteonce_desktop.ui.first_run import FirstRunDialog
from inviteonce_desktop.ui.launch import preferences_for
from inviteonce_desktop.ui.qt import QEventLoop, QGuiApplication, Qt
from inviteonce_desktop.ui.settings.connect_dialog import ConnectDialog
from inviteonce_desktop.ui.shell import Shell
from tests.integration.calendars.conftest import (  # noqa: F401 (the fakes' fixtures)
    GoogleServer,
    GraphServer,
    google,
    graph,
    loopback_certificate,
)
from tests.integration.calendars.fakes.browser import consenting_browser

from .wizard_driver import Wait, fill_details, fill_participant

T = TypeVar("T")


def finish(wait: Wait, work: Coroutine[Any, Any, T]) -> T:
    """Await *work* on the window's running loop, as a slot would."""
    task = asyncio.ensure_future(work)
    wait(task.done)
    return task.result()


def test_first_run_applies_the_organizations_set_up_file(
    qtbot: QtBot,
    app: InviteOnce,
    qloop: QEventLoop,
    tmp_path: Path,
    wait: Wait,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    placed = tmp_path / "provisioning.toml"
    placed.write_text(
        '[microsoft]\nclient_id = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346"\n'
        'tenant = "contoso.onmicrosoft.com"\n\n'
        '[relay]\nurl = "https://book.contoso.example"\norganizer_key = "k-1"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(ENVIRONMENT, str(placed))
    shell = Shell(app, preferences_for(tmp_path), tray_available=False)
    qtbot.addWidget(shell.window)
    shell.show()
    dialog = shell.window.findChild(FirstRunDialog)
    assert dialog is not None
    wait(dialog.isVisible)
    assert (
        dialog.use_provisioning.isChecked()
        and "provisioning.toml" in dialog.use_provisioning.text()
    )
    qtbot.keyClicks(dialog.name, "Robin Organizer")
    qtbot.keyClicks(dialog.email, "robin@example.com")
    qtbot.mouseClick(dialog.connect_calendar, Qt.MouseButton.LeftButton)
    wait(lambda: not dialog.isVisible())

    assert app.relay.settings() == RelaySettings(embedded=False, url="https://book.contoso.example")
    provisioned = app.provisioning()
    assert provisioned.microsoft_authority == (
        "https://login.microsoftonline.com/contoso.onmicrosoft.com"
    )
    calendars = shell.window.settings.calendars
    assert shell.window.settings.tabs.currentWidget().widget() is calendars
    dialog_for_microsoft = ConnectDialog("microsoft", calendars, provisioned)
    assert (
        dialog_for_microsoft.edit("client_id").placeholderText() == provisioned.microsoft_client_id
    )
    assert dialog_for_microsoft.edit("tenant").placeholderText() == "contoso.onmicrosoft.com"


class FilledDialog(ConnectDialog):
    """The connect dialog as a user fills it: the values are typed, then Connect is pressed."""

    typed: dict[str, str] = {}
    code = False

    def exec(self) -> int:
        for name, text in self.typed.items():
            self.edit(name).setText(text)
        self.use_code.setChecked(self.code)
        return 1


def test_microsoft_device_code_is_shown_in_the_window_with_copy(
    qtbot: QtBot,
    shell: Shell,
    graph: GraphServer,  # noqa: F811
    wait: Wait,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(graph.certificate.cert_file))
    service = shell.window._app.calendars
    # Graph's address is the boundary the fake stands in for.
    monkeypatch.setattr(
        service,
        "connect_microsoft",
        partial(service.connect_microsoft, graph_url=f"{graph.graph_url}/v1.0"),
    )
    page = shell.window.settings.calendars

    class Typed(FilledDialog):
        typed = {"client_id": graph.fake.client_id, "tenant": graph.fake.authority()}
        code = True

    page.dialog_factory = Typed
    page.on_connect("microsoft")
    wait(lambda: page.device_dialog is not None and page.device_dialog.isVisible())
    shown = page.device_dialog
    assert shown is not None
    assert shown.url == "https://microsoft.com/devicelogin" and len(shown.code) >= 6
    qtbot.mouseClick(shown.copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == shown.code

    graph.fake.approve_device(shown.code)
    wait(lambda: any(a.kind == "microsoft" for a in service.accounts()))
    wait(lambda: page.device_dialog is None)
    names = [page.model.row_values(r)[0] for r in range(page.model.rowCount())]
    assert graph.fake.account_email in names
    finish(wait, service.aclose())


def test_a_revoked_sign_in_is_reconnected_with_one_click(
    qtbot: QtBot,
    shell: Shell,
    google: GoogleServer,  # noqa: F811
    wait: Wait,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    google.fake.add_calendar(google.fake.account_email)
    client = tmp_path / "client_secret_1.json"
    client.write_text(json.dumps(google.fake.client_config(google.url)))
    app: InviteOnce = shell.window._app
    service = app.calendars

    async def connect() -> Any:
        try:
            return await service.connect_google(
                str(client), consenting_browser([]), google.api_endpoint
            )
        finally:
            await service.aclose()

    account = finish(wait, connect())
    google.fake.tokens.revoke_all()
    assert finish(wait, service.refresh()).failed
    page = shell.window.settings.calendars
    page.refresh()
    row = next(
        r for r in range(page.model.rowCount()) if page.model.row_values(r)[2] == "reconnect"
    )
    page.view.selectRow(row)
    assert page.reconnect.isEnabled() and page.reconnect.isDefault()

    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", consenting_browser(opened))
    qtbot.mouseClick(page.reconnect, Qt.MouseButton.LeftButton)
    wait(lambda: service.account(account.id).status == "connected")
    assert len(opened) == 1 and len(service.accounts()) == 1
    finish(wait, service.aclose())


def test_the_tray_and_the_wizards_count_offer_reconnect(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app: InviteOnce = shell.window._app
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve("google")
        settings = AccountSettings(calendar="olivia@example.com", email="olivia@example.com")
        accounts.complete(account_id, "olivia@example.com", settings)
        accounts.refreshed(account_id, None, "reconnect", "Google no longer accepts the sign-in.")

    shell.tray.refresh_reconnect()
    (action,) = shell.tray.reconnect_actions
    assert action.text() == "&Reconnect olivia@example.com..."
    shell.tray.reconnect_requested.disconnect(shell.on_reconnect_requested)  # no real browser
    with qtbot.waitSignal(shell.tray.reconnect_requested) as asked:
        action.trigger()
    assert asked.args == [account_id]

    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    member_ids = [m.id for m in app.members() if m.id is not None]
    fill_details(qtbot, wizard, member_ids[:1])
    bar = wizard.time_frame_page.reconnect
    assert bar.isVisible() and bar.account_id == account_id
    assert "olivia@example.com" in bar.text.text()
    wait(lambda: not wizard.time_frame_page.counter.pending)
    wizard.reject()
