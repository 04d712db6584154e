"""The wizard preselects the organizer's default calendar; Settings → Profile chooses it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.core.invitation import BUILT_IN_CALENDAR, BUILT_IN_KEY, CalendarChoice
from inviteonce_desktop.store.accounts import CalendarAccount, CalendarAccounts
from inviteonce_desktop.ui.qt import Qt, QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId

from .wizard_driver import Wait, click, to_step_three


def connected_account(shell: Shell) -> CalendarAccount:
    """A connected CalDAV account as the store keeps it (the sign-in is not used here)."""
    app = shell.window._app
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve("caldav")
        settings = AccountSettings(
            url="https://dav.example.com/", calendar="https://dav.example.com/o/"
        )
        return accounts.complete(account_id, "olivia (dav.example.com)", settings)


def test_the_wizard_preselects_the_connected_calendar_and_the_invitation_keeps_it(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    account = connected_account(shell)
    app = shell.window._app
    wizard = shell.window.open_wizard()
    member_ids = [m.id for m in app.members() if m.id is not None]
    to_step_three(qtbot, wizard, wait, member_ids[:1])
    box = wizard.notifications_page.advanced

    assert box.calendar.currentData() == str(account.id)
    assert box.calendar.currentText().endswith("(default)")
    assert box.calendar.itemData(box.calendar.count() - 1) == BUILT_IN_KEY

    wizard.notifications_page.by_links.click()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    created = wizard.links_page.created
    assert created is not None
    assert created.invitation.notifications.advanced.event.calendar == CalendarChoice(account.id)


def test_profile_chooses_the_default_calendar(qtbot: QtBot, shell: Shell) -> None:
    account = connected_account(shell)
    app = shell.window._app
    page = shell.window.settings.profile
    page.refresh()
    assert page.calendar.currentData() == str(account.id)

    page.calendar.setCurrentIndex(page.calendar.findData(BUILT_IN_KEY))
    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)

    assert app.default_calendar() == BUILT_IN_CALENDAR
