"""Settings → Mail sending: choosing the connected calendar account to send through."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.store.accounts import CalendarAccounts
from inviteonce_desktop.ui.messages import MessageBridge
from inviteonce_desktop.ui.qt import Qt
from inviteonce_desktop.ui.settings.mail_page import MailPage


def _connected(app: InviteOnce, kind: str, email: str) -> int:
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve(kind)
        accounts.complete(account_id, email, AccountSettings(email=email, calendar=email))
    return account_id


def test_the_connected_account_is_chosen_and_saved(qtbot: QtBot, app: InviteOnce) -> None:
    _connected(app, "caldav", "me@fastmail.example")
    google = _connected(app, "google", "organizer@example.com")
    bridge = MessageBridge()
    infos: list[str] = []
    bridge.info.connect(infos.append)
    page = MailPage(app, bridge)
    qtbot.addWidget(page)
    page.show()
    assert page.no_mail.isChecked() and not page.account.isEnabled()
    assert [page.account.itemText(i) for i in range(page.account.count())] == [
        "organizer@example.com (organizer@example.com)"
    ]
    qtbot.mouseClick(page.account_mode, Qt.MouseButton.LeftButton)
    assert page.account.isEnabled() and not page.host.isEnabled()
    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    settings = app.mail.settings()
    assert (settings.mode, settings.account_id) == ("account", google)
    assert infos == ["The mail settings are saved."]
    page.refresh()
    assert page.account_mode.isChecked() and page.account.currentData() == google


def test_without_an_account_that_can_send_the_page_says_how_to_get_one(
    qtbot: QtBot, app: InviteOnce
) -> None:
    bridge = MessageBridge()
    errors: list[str] = []
    bridge.error.connect(errors.append)
    page = MailPage(app, bridge)
    qtbot.addWidget(page)
    page.show()
    assert page.account_hint.isVisible() and page.account.count() == 0
    qtbot.mouseClick(page.account_mode, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    assert errors == []
    assert page.account_message.text == "Choose the connected calendar account to send through."
    assert page.account.accessibleDescription() == page.account_message.text
    assert app.mail.settings().mode == "none"
    qtbot.keyClick(page.no_mail, Qt.Key.Key_Space)
    assert page.no_mail.isChecked() and page.account_message.text == ""


def test_smtp_with_its_sent_folder_and_the_retry_time_are_saved(
    qtbot: QtBot, app: InviteOnce
) -> None:
    page = MailPage(app, MessageBridge())
    qtbot.addWidget(page)
    page.show()
    assert page.give_up.value() == 24
    assert page.sent_wait.value() == 2
    qtbot.mouseClick(page.smtp_mode, Qt.MouseButton.LeftButton)
    assert page.sent_host.isEnabled()
    qtbot.keyClicks(page.host, "smtp.gmail.com")
    qtbot.keyClicks(page.username, "olivia@example.com")
    qtbot.keyClicks(page.sent_host, "imap.gmail.com")
    page.sent_folder.setText("[Gmail]/Sent Mail")
    page.give_up.setValue(6)
    page.sent_wait.setValue(5)

    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)

    settings = app.mail.settings()
    assert (settings.host, settings.sent_host, settings.sent_port) == (
        "smtp.gmail.com",
        "imap.gmail.com",
        993,
    )
    assert settings.sent_folder == "[Gmail]/Sent Mail"
    assert app.give_up_hours() == 6
    assert app.sent_settle_minutes() == 5
    assert app.mail.transport().sent_folder() is not None
