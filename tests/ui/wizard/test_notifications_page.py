"""Step 3's lead time: the Settings default, changed for one invitation, carried to the offer."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from inviteonce_desktop.ui.qt import Qt, QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId
from tests.ui.wizard_driver import Wait, click, to_step_three


def test_the_lead_time_starts_at_the_default_and_is_the_invitations_own(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window._app
    app.set_change_lead_default(timedelta(hours=6))
    wizard = shell.window.open_wizard()
    member_ids = [m.id for m in app.members() if m.id is not None]
    to_step_three(qtbot, wizard, wait, member_ids[:1])
    page = wizard.notifications_page
    assert page.change_lead.value() == 6
    page.change_lead.setValue(48)
    page.by_links.click()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    created = wizard.links_page.created
    assert created is not None and created.invitation.id is not None
    stored = app.invitation(created.invitation.id)
    assert stored.notifications.confirmation.change_lead == timedelta(hours=48)


def test_settings_profile_saves_the_default_lead_time(qtbot: QtBot, shell: Shell) -> None:
    page = shell.window.settings.profile
    page.refresh()
    assert page.change_lead.value() == 12
    page.change_lead.setValue(3)
    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    assert shell.window._app.change_lead_default() == timedelta(hours=3)
