"""Editing an open invitation in the wizard, and choosing reminders in Settings and Step 3."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.history import HistoryKind
from inviteonce_desktop.ui.main_window import Page
from inviteonce_desktop.ui.qt import Qt, QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId
from inviteonce_desktop.ui.wizard.wizard import InvitationWizard

from .keyboard import clashes
from .wizard_driver import Wait, click, select_key, to_step_three


def _member_ids(shell: Shell) -> list[int]:
    return [m.id for m in shell.window.app.members() if m.id is not None]


def _create_by_links(qtbot: QtBot, shell: Shell, wait: Wait) -> InvitationWizard:
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:1])
    wizard.notifications_page.by_links.click()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    return wizard


def test_edit_opens_the_wizard_filled_and_republishes_on_the_same_link(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    created = _create_by_links(qtbot, shell, wait).links_page.created
    assert created is not None and created.invitation.id is not None and created.links.url
    ident, url = created.invitation.id, created.links.url
    assert shell.window.wizard is not None
    shell.window.wizard.close()
    shell.window.show_page(Page.ACTIVITY)
    page = shell.window.activity.invitations
    assert select_key(page.view, ("invitation", ident))
    assert page.edit.isVisible() and page.edit.isEnabled()
    assert "Reminders: none" in page.detail.text()

    qtbot.mouseClick(page.edit, Qt.MouseButton.LeftButton)
    wizard = shell.window.wizard
    assert wizard is not None and wizard.edit_id == ident
    assert wizard.windowTitle() == "Edit invitation"
    assert wizard.participant_page.email.text() == "dana@example.com"
    assert wizard.participant_page.email.isReadOnly()
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isVisible()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    details = wizard.details_page
    assert details.subject.text() == "Intro call"
    details.subject.clear()
    qtbot.keyClicks(details.subject, "Pricing call")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wait(lambda: not wizard.time_frame_page.counter.pending)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.text() == "Save chan&ges"
    wizard.notifications_page.show_advanced.setChecked(True)
    assert clashes(wizard) == {}
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)

    summary = wizard.links_page.summary.text()
    assert summary.startswith(f"Invitation {ident} is changed. Its links stay the same")
    app = shell.window.app
    assert app.invitation(ident).details.subject == "Pricing call"
    assert app.invitation_links(ident).url == url
    assert "Pricing call" in httpx.get(url, timeout=10).text
    edits = [e.text for e in app.invitation_history(ident) if e.kind == HistoryKind.EDITED]
    assert edits == ["Edited: subject."]


def test_a_booked_invitation_is_not_edited(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    created = _create_by_links(qtbot, shell, wait).links_page.created
    assert created is not None and created.invitation.id is not None and created.links.url
    api = created.links.url.replace("/i/", "/api/v1/i/")
    with httpx.Client(timeout=10) as customer:
        slots = customer.get(api).json()["slots"]
        assert customer.post(f"{api}/book", json={"start": slots[0]["start"]}).is_success
    shell.background.start()
    wait(lambda: shell.window.activity.meetings.model.rowCount() == 1)
    page = shell.window.activity.invitations
    page.filter.setCurrentIndex(1)  # all invitations
    assert select_key(page.view, ("invitation", created.invitation.id))
    assert not page.edit.isEnabled()
    with pytest.raises(ValidationError, match="cannot be edited: it is booked"):
        shell.window.app.editable(created.invitation.id)


def test_reminders_from_settings_are_the_wizards_default_and_each_invitation_chooses(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    settings = shell.window.settings.reminders
    box = settings.reminders
    assert not box.first.isChecked() and not box.second.isEnabled()
    box.first.setChecked(True)
    box.first_hours.setValue(24)
    box.second.setChecked(True)
    box.second_hours.setValue(1.5)
    qtbot.mouseClick(settings.save, Qt.MouseButton.LeftButton)
    app = shell.window.app
    assert app.default_reminders() == (timedelta(hours=24), timedelta(minutes=90))

    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, _member_ids(shell)[:1])
    step3 = wizard.notifications_page
    step3.show_advanced.setChecked(True)
    shown = step3.advanced.reminders
    assert shown.first.isChecked() and shown.first_hours.value() == 24
    assert shown.second.isChecked() and shown.second_hours.value() == 1.5
    shown.second.setChecked(False)
    step3.by_links.click()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    created = wizard.links_page.created
    assert created is not None
    assert app.invitation(created.invitation.id).notifications.reminders == (timedelta(hours=24),)
