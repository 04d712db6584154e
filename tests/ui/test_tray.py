"""The tray's menu and Quick invite; closing the window with and without a tray."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.invitation import InvitationStatus, SendMode
from inviteonce_desktop.core.meeting import Meeting, MeetingStatus
from inviteonce_desktop.ui.launch import preferences_for
from inviteonce_desktop.ui.qt import QEventLoop, QGuiApplication, Qt
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.tray import booking_notice
from inviteonce_desktop.ui.wizard.state import WizardState

from .wizard_driver import Wait


def _links_invitation(app: InviteOnce) -> WizardState:
    member = app.members()[0]
    assert member.id is not None
    return WizardState(
        participant_name="First Customer",
        participant_email="first@example.com",
        subject="Discovery call",
        team_member_ids=[member.id],
        time_zone="Europe/Berlin",
        send_mode=SendMode.LINKS.value,
    )


async def _send_one(app: InviteOnce) -> None:
    await app.create_invitation(_links_invitation(app).invitation())


def test_without_a_tray_closing_the_window_quits(shell: Shell) -> None:
    assert not shell.tray.available
    assert not shell.window.keep_in_tray
    shell.window.close()
    assert shell.finished.done()


@pytest.mark.qt_log_ignore(
    # The offscreen platform that tests run on has no tray window and cannot raise one.
    "No such signal QPlatformNativeInterface::systemTrayWindowChanged",
    "This plugin does not support raise",
)
def test_with_a_tray_closing_the_window_keeps_running(
    qtbot: QtBot, demo: InviteOnce, qloop: QEventLoop, tmp_path: Path
) -> None:
    shell = Shell(demo, preferences_for(tmp_path), tray_available=True)
    qtbot.addWidget(shell.window)
    shell.window.show()
    assert shell.tray.available and shell.window.keep_in_tray
    shell.window.close()
    assert not shell.window.isVisible() and not shell.finished.done()
    shell.tray.open.trigger()
    assert shell.window.isVisible()
    shell.tray.quit.trigger()
    assert shell.finished.done()


def test_the_window_geometry_is_remembered(
    qtbot: QtBot, demo: InviteOnce, qloop: QEventLoop, tmp_path: Path
) -> None:
    first = Shell(demo, preferences_for(tmp_path), tray_available=False)
    qtbot.addWidget(first.window)
    first.window.show()
    first.window.resize(first.window.minimumWidth(), 520)
    first.window.close()
    second = Shell(demo, preferences_for(tmp_path), tray_available=False)
    qtbot.addWidget(second.window)
    assert second.window.height() == 520


def test_quick_invite_from_the_tray_reuses_the_last_settings(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window._app
    sent = asyncio.ensure_future(_send_one(app))
    wait(sent.done)
    sent.result()
    shell.tray.quick_invite.trigger()
    dialog = shell.quick_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.links_notice.isHidden()
    assert dialog.links_notice.text().startswith("These links open only on this computer")
    qtbot.keyClicks(dialog.name, "Second Customer")
    qtbot.keyClicks(dialog.email, "second@example.com")
    qtbot.mouseClick(dialog.send, Qt.MouseButton.LeftButton)
    wait(lambda: not dialog.isVisible())
    entries = app.invitations.list()
    second = [e for e in entries if e.invitation.participant.email == "second@example.com"]
    assert len(second) == 1
    assert second[0].invitation.status == InvitationStatus.PENDING
    assert second[0].invitation.details.subject == "Discovery call"
    assert QGuiApplication.clipboard().text() == second[0].links.url
    assert "Second Customer" in shell.window.status.currentMessage()


def test_quick_invite_with_a_named_template(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    app = shell.window._app
    state = _links_invitation(app)
    state.subject = "Product demo"
    app.invitations.save_template("Demo", state.invitation())
    dialog = shell.open_quick_invite()
    dialog.template.setCurrentIndex(dialog.template.findData("Demo"))
    qtbot.keyClicks(dialog.name, "Third Customer")
    qtbot.keyClicks(dialog.email, "third@example.com")
    qtbot.mouseClick(dialog.send, Qt.MouseButton.LeftButton)
    wait(lambda: not dialog.isVisible())
    subjects = {e.invitation.details.subject for e in app.invitations.list()}
    assert subjects == {"Product demo"}


@pytest.mark.parametrize("email", ["", "not an address"])
def test_quick_invite_explains_what_is_missing(
    qtbot: QtBot, shell: Shell, wait: Wait, email: str
) -> None:
    dialog = shell.open_quick_invite()
    qtbot.keyClicks(dialog.name, "Fourth Customer")
    qtbot.keyClicks(dialog.email, email)
    qtbot.mouseClick(dialog.send, Qt.MouseButton.LeftButton)
    wait(dialog.error.isVisible)
    assert dialog.isVisible()
    assert "email address" in dialog.error.text() or "wizard first" in dialog.error.text()
    assert shell.window._app.invitations.list() == []


def test_next_meetings_menu_says_when_there_are_none(shell: Shell) -> None:
    shell.tray.menu.aboutToShow.emit()
    texts = [action.text() for action in shell.tray.next_meetings.actions()]
    assert texts == ["No meetings booked yet"]


def test_the_tray_says_whether_a_meeting_was_booked_moved_or_cancelled() -> None:
    start = datetime(2027, 1, 12, 9, tzinfo=UTC)
    booked = Meeting(
        invitation_id=1,
        subject="Intro call",
        start=start,
        end=start + timedelta(minutes=30),
        participant_name="Carla Customer",
        participant_email="carla@example.org",
        event_uid="uid-1",
    )
    berlin = ZoneInfo("Europe/Berlin")
    assert booking_notice(booked, berlin) == (
        "New meeting booked",
        "Carla Customer booked Intro call: Tue 12 Jan, 10:00 (30 min).",
    )
    moved = replace(booked, sequence=1)
    assert booking_notice(moved, berlin) == (
        "Meeting moved",
        "Intro call with Carla Customer moved to Tue 12 Jan, 10:00 (30 min).",
    )
    cancelled = replace(moved, sequence=2, status=MeetingStatus.CANCELLED)
    assert booking_notice(cancelled, berlin)[0] == "Meeting cancelled"
