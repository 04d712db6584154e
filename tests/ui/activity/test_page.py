"""The Activity stream: offline drafts sent later, and a booking moving a row to Meetings."""

from __future__ import annotations

import httpx
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.relay_host import RelaySettings
from inviteonce_desktop.ui.qt import Qt, QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId
from tests.ui.conftest import _free_port
from tests.ui.wizard_driver import Wait, click, fill_participant, select_key, to_step_three


def _member_ids(shell: Shell) -> list[int]:
    return [m.id for m in shell.window._app.members() if m.id is not None]


def _statuses(shell: Shell) -> list[str]:
    proxy = shell.window.activity.invitations.proxy
    return [str(proxy.index(row, 0).data()) for row in range(proxy.rowCount())]


def test_offline_invitation_waits_and_is_sent_later(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    app = shell.window._app
    app.relay.configure(RelaySettings(False, f"http://127.0.0.1:{_free_port()}"), "organizer-key")
    shell.background.start()
    wait(lambda: not shell.window.status.online)
    assert "Offline" in shell.window.status.connection.text()

    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:1])
    wizard.notifications_page.by_links.click()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    created = wizard.links_page.created
    assert created is not None and created.queued
    assert "offline" in wizard.links_page.summary.text().lower()
    assert not wizard.links_page.copy.isEnabled()
    assert _statuses(shell) == ["Waiting to publish"]

    app.relay.configure(RelaySettings(True))
    page = shell.window.activity.invitations
    assert created.invitation.id is not None
    assert select_key(page.view, ("invitation", created.invitation.id))
    assert page.send.isEnabled()
    qtbot.mouseClick(page.send, Qt.MouseButton.LeftButton)
    wait(lambda: _statuses(shell) == ["Waiting for customer"])
    assert app.invitations.links(created.invitation.id).url


def test_unfinished_draft_reopens_in_the_wizard(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    qtbot.keyClicks(wizard.details_page.subject, "Follow-up")
    click(qtbot, wizard, QWizard.WizardButton.CustomButton1)
    wizard.close()
    page = shell.window.activity.invitations
    assert _statuses(shell) == ["Unfinished"]
    assert page.model.row_values(0)[3] == "Follow-up"
    assert wizard.draft_id is not None
    assert select_key(page.view, ("draft", wizard.draft_id))
    qtbot.mouseClick(page.open, Qt.MouseButton.LeftButton)
    reopened = shell.window.wizard
    assert reopened is not None and reopened is not wizard
    assert reopened.participant_page.email.text() == "dana@example.com"
    assert reopened.state.subject == "Follow-up"


def test_a_booking_moves_the_row_from_invitations_to_meetings(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:2])
    wizard.notifications_page.by_links.click()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    created = wizard.links_page.created
    assert created is not None and created.links.url
    assert _statuses(shell) == ["Waiting for customer"]
    assert shell.window.activity.meetings.model.rowCount() == 0

    api = created.links.url.replace("/i/", "/api/v1/i/")
    with httpx.Client(timeout=10) as customer:
        slots = customer.get(api).json()["slots"]
        booked = customer.post(f"{api}/book", json={"start": slots[-1]["start"]})
    assert booked.status_code in (200, 201), booked.text

    shell.background.start()
    meetings = shell.window.activity.meetings
    wait(lambda: meetings.model.rowCount() == 1)
    assert _statuses(shell) == []
    row = meetings.model.row_values(0)
    assert row[1] == "Dana Customer <dana@example.com>" and row[2] == "Intro call"
    assert "New meeting" not in shell.window.status.currentMessage()
    assert "Dana Customer booked Intro call" in shell.window.status.currentMessage()


def test_the_activity_detail_shows_the_invitations_history(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:1])
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)

    summary = wizard.links_page.summary.text()
    assert "on its way" not in summary
    created = wizard.links_page.created
    assert created is not None and created.invitation.id is not None
    page = shell.window.activity.invitations
    assert select_key(page.view, ("invitation", created.invitation.id))
    history = page.history.toPlainText()
    assert "published" in history and "Published on the relay" in history
    assert "Invitation emailed" not in history
