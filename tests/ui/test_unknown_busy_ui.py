"""A member whose calendar could not be read: the wizard's count and Settings → Calendars say so."""

from __future__ import annotations

import socket
from datetime import timedelta
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.store.accounts import CalendarAccounts
from inviteonce_desktop.store.calendar_data import BusyCache
from inviteonce_desktop.ui.qt import QWizard
from inviteonce_desktop.ui.shell import Shell

from .wizard_driver import Wait, fill_details, fill_participant, wait_for_count

PROBLEM = "the CalDAV server has no calendar at this address"


def refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/dav/"


def make_unreadable(app: InviteOnce, member_name: str) -> None:
    """The member's calendar lives on a CalDAV account whose last read found no calendar."""
    member = next(m for m in app.members() if m.name == member_name)
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve("caldav")
        accounts.complete(
            account_id,
            "Team DAV",
            AccountSettings(url=refused_url(), username="team", calendar="/team/gone/"),
        )
    app.credentials.set(account_id, "password", "team-pw")
    app.calendars.map_resource(member.name, account_id, "/team/gone/")
    now = app.clock.now()
    with app.workspace.session() as session:
        BusyCache(session).mark_unreadable(
            {member.key: PROBLEM}, now - timedelta(days=1), now + timedelta(days=120), now
        )


def test_the_wizard_names_the_member_whose_calendar_could_not_be_read(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window._app
    member = app.members()[0]
    make_unreadable(app, member.name)
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    fill_details(qtbot, wizard, [member.id or 0])
    assert wait_for_count(wizard, wait) == 0
    page = wizard.time_frame_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert f"{member.name}'s calendar could not be read" in page.error.text()
    assert PROBLEM in page.error.text()


def test_settings_calendars_marks_the_member_until_it_can_be_read(shell: Shell) -> None:
    app = shell.window._app
    member = app.members()[0]
    make_unreadable(app, member.name)
    page = shell.window.settings.calendars
    page.refresh()
    assert page.unreadable.isVisibleTo(page)
    assert f"{member.name}'s calendar could not be read: {PROBLEM}." in page.unreadable.text()
    assert page.model.rowCount() == 2


def test_the_wizard_says_how_fresh_the_busy_time_is(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    app = shell.window._app
    member = app.members()[0]
    make_unreadable(app, member.name)
    now = app.clock.now()
    with app.workspace.session() as session:
        BusyCache(session).replace(
            {member.key: []}, now - timedelta(days=1), now + timedelta(days=120), now
        )
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    fill_details(qtbot, wizard, [member.id or 0])
    assert wait_for_count(wizard, wait) > 0
    shown = now.astimezone(ZoneInfo(app.profile().time_zone if app.profile() else "UTC"))
    assert f"busy time as of {shown:%H:%M}" in wizard.time_frame_page.count.text()
