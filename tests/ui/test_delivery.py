"""The window tells the truth about mail: Step 3, the links page, the table, Retry, Fix, a test."""

from __future__ import annotations

import socket

from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.delivery import DeliveryKind
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.ui.main_window import Page
from inviteonce_desktop.ui.messages import MessageBridge
from inviteonce_desktop.ui.qt import QMessageBox, Qt, QWizard
from inviteonce_desktop.ui.settings.mail_page import MailPage
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId

from .conftest import Mailbox
from .wizard_driver import Wait, click, select_key, to_step_three


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _smtp(port: int) -> MailSettings:
    return MailSettings.from_json(
        {"mode": "smtp", "host": "127.0.0.1", "port": port, "security": "none"}
    )


def _member_ids(shell: Shell) -> list[int]:
    return [m.id for m in shell.window.app.members() if m.id is not None]


def test_without_mail_step_three_copies_links_and_fix_opens_mail_settings(
    qtbot: QtBot, shell: Shell, wait: Wait, mailbox: Mailbox
) -> None:
    app = shell.window.app
    port = app.mail.settings().port
    app.mail.configure(MailSettings())
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:1])
    page = wizard.notifications_page
    assert page.by_links.isChecked() and not page.by_email.isEnabled()
    assert page.mail_row.isVisible() and "not set up" in page.mail_problem.text()
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Create &invitation"

    qtbot.mouseClick(page.fix_mail, Qt.MouseButton.LeftButton)
    dialog = wizard.mail_dialog
    assert dialog is not None and dialog.isVisible()
    mail = dialog.page
    qtbot.mouseClick(mail.smtp_mode, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(mail.save, Qt.MouseButton.LeftButton)
    assert mail.host_message.text == "Enter the mail server's host name."
    assert dialog.isVisible()
    qtbot.keyClicks(mail.host, "127.0.0.1")
    assert mail.host_message.text == ""
    mail.port.setValue(port)
    mail.security.setCurrentIndex(mail.security.findData("none"))
    qtbot.mouseClick(mail.save, Qt.MouseButton.LeftButton)
    wait(lambda: not dialog.isVisible())
    assert not page.mail_row.isVisible()
    assert page.by_email.isEnabled() and page.by_email.isChecked()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    wait(lambda: mailbox.messages)
    assert "email is sent to Dana Customer" in wizard.links_page.summary.text()


def test_a_failed_email_says_why_in_the_table_and_retry_sends_it(
    qtbot: QtBot, shell: Shell, wait: Wait, mailbox: Mailbox
) -> None:
    app = shell.window.app
    good_port = app.mail.settings().port
    app.mail.configure(_smtp(_closed_port()))
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:1])
    assert wizard.notifications_page.by_email.isChecked()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    summary = wizard.links_page.summary.text()
    assert "could not be sent" in summary and "cannot be reached" in summary
    assert "on its way" not in summary
    assert wizard.links_page.link_copies, "the links are there to copy meanwhile"
    created = wizard.links_page.created
    assert created is not None and created.invitation.id is not None
    wizard.accept()

    page = shell.window.activity.invitations
    key = ("invitation", created.invitation.id)
    assert select_key(page.view, key)
    assert page.model.row_values(0)[1].startswith("Failed: The mail server 127.0.0.1:")
    assert "Delivery: Failed" in page.detail.text()
    assert page.retry.isEnabled()
    app.mail.configure(_smtp(good_port))
    qtbot.mouseClick(page.retry, Qt.MouseButton.LeftButton)
    wait(lambda: mailbox.messages)
    wait(lambda: page.model.row_values(0)[1].startswith("Email sent "))
    assert len(mailbox.messages) == 1
    assert shell.window.status.currentMessage() == "The invitation email is sent."
    assert app.delivery(app.invitations.get(created.invitation.id)).kind == DeliveryKind.SENT


def test_resend_without_mail_says_so_and_offers_the_fix(
    qtbot: QtBot, shell: Shell, wait: Wait, mailbox: Mailbox
) -> None:
    app = shell.window.app
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:1])
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    wait(lambda: mailbox.messages)
    created = wizard.links_page.created
    assert created is not None and created.invitation.id is not None
    wizard.accept()
    app.mail.configure(MailSettings())
    shell.window.show_page(Page.ACTIVITY)
    page = shell.window.activity.invitations
    page.refresh()
    assert select_key(page.view, ("invitation", created.invitation.id))
    assert page.model.row_values(0)[1].startswith("Email sent ")
    errors: list[str] = []
    shell.window.bridge.error.connect(errors.append)
    qtbot.mouseClick(page.resend, Qt.MouseButton.LeftButton)
    wait(lambda: errors)
    assert errors == [
        "The invitation email could not be sent: Mail sending is not set up yet; "
        "set it up in Settings, Mail."
    ]
    assert len(mailbox.messages) == 1
    assert page.fix.isVisible()
    qtbot.mouseClick(page.fix, Qt.MouseButton.LeftButton)
    assert page.mail_dialog is not None and page.mail_dialog.isVisible()
    page.mail_dialog.reject()


def test_a_test_email_reaches_the_organizer(
    qtbot: QtBot, demo_mail: tuple[Shell, Mailbox], wait: Wait
) -> None:
    shell, mailbox = demo_mail
    page = MailPage(shell.window.app, MessageBridge())
    qtbot.addWidget(page)
    page.show()
    assert page.smtp_mode.isChecked() and page.test.isEnabled()
    qtbot.mouseClick(page.test, Qt.MouseButton.LeftButton)
    wait(lambda: mailbox.messages)
    wait(lambda: "test email is sent" in page.result.text())
    assert mailbox.messages[0]["To"] == "Alex Organizer <alex.organizer@example.com>"
    page.port.setValue(_closed_port())
    qtbot.mouseClick(page.test, Qt.MouseButton.LeftButton)
    wait(lambda: "could not be sent" in page.result.text())
    assert len(mailbox.messages) == 1


def test_cancel_invitation_asks_first_and_says_the_link_stops(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window.app
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:1])
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    created = wizard.links_page.created
    assert created is not None and created.invitation.id is not None
    wizard.accept()
    page = shell.window.activity.invitations
    assert select_key(page.view, ("invitation", created.invitation.id))
    assert page.model.row_values(0)[1] == "Links to send yourself"
    qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    box = page.cancel_box
    assert box is not None and box.isVisible()
    assert "link stops working" in box.informativeText()
    assert "Dana Customer is not emailed" in box.informativeText()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert app.invitations.get(created.invitation.id).status.value == "pending"
    qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    box = page.cancel_box
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert page.undo_bar.payload == created.invitation.id
    page.undo_bar.finish()  # the seconds to undo are over
    wait(lambda: app.invitations.get(created.invitation.id).status.value == "cancelled")
