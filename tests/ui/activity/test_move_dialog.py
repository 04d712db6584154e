"""Activity → Meetings → Move…: the organizer picks a free time, the meeting follows."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.invitation import SendMode
from inviteonce_desktop.ui.qt import Qt
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.state import WizardState
from tests.ui.wizard_driver import Wait, select_key


@pytest.fixture
def booked(demo: InviteOnce) -> list[dict[str, str]]:
    """A meeting booked on the demo's last free slot, before the Qt loop runs (see qloop);
    the slots its invitation offered."""
    app = demo
    member = app.members()[0]
    assert member.id is not None
    state = WizardState(
        participant_name="Moving Customer",
        participant_email="moving@example.com",
        subject="Planning call",
        team_member_ids=[member.id],
        time_zone="Europe/Berlin",
        send_mode=SendMode.LINKS.value,
    )
    created = asyncio.run(app.create_invitation(state.invitation()))
    assert created.links.url
    api = created.links.url.replace("/i/", "/api/v1/i/")
    with httpx.Client(timeout=10) as customer:
        slots: list[dict[str, str]] = customer.get(api).json()["slots"]
        assert customer.post(f"{api}/book", json={"start": slots[-1]["start"]}).status_code == 201
    return slots


def test_move_picks_a_free_time_and_the_meeting_follows(
    qtbot: QtBot, booked: list[dict[str, str]], shell: Shell, wait: Wait
) -> None:
    app, slots = shell.window._app, booked
    shell.background.start()
    page = shell.window.activity.meetings
    wait(lambda: page.model.rowCount() == 1)
    (meeting,) = app.meetings()
    assert meeting.id is not None
    assert select_key(page.view, meeting.id)
    assert page.move_button.isEnabled()
    qtbot.mouseClick(page.move_button, Qt.MouseButton.LeftButton)
    wait(lambda: page.move_dialog is not None and page.move_dialog.isVisible())
    dialog = page.move_dialog
    assert dialog is not None and dialog.times.count() == len(slots) - 1
    dialog.times.setCurrentIndex(0)
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    wait(lambda: not dialog.isVisible())
    (moved,) = app.meetings()
    assert moved.start.isoformat().replace("+00:00", "Z") == slots[0]["start"]
    assert moved.sequence == 1
    assert "The meeting is moved to" in shell.window.status.currentMessage()
