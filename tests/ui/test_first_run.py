"""The first start: the profile, then the calendar to start on."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.ui.first_run import FirstRunDialog
from inviteonce_desktop.ui.launch import preferences_for
from inviteonce_desktop.ui.main_window import Page
from inviteonce_desktop.ui.qt import QEventLoop, Qt
from inviteonce_desktop.ui.shell import Shell
from tests.ui.wizard_driver import Wait


def test_first_run_sets_the_profile_and_starts_on_the_built_in_calendar(
    qtbot: QtBot, app: InviteOnce, qloop: QEventLoop, tmp_path: Path, wait: Wait
) -> None:
    shell = Shell(app, preferences_for(tmp_path), tray_available=False)
    qtbot.addWidget(shell.window)
    shell.show()
    dialog = shell.window.findChild(FirstRunDialog)
    assert dialog is not None
    wait(dialog.isVisible)
    qtbot.keyClicks(dialog.name, "Robin Organizer")
    qtbot.keyClicks(dialog.email, "robin@example")
    qtbot.mouseClick(dialog.built_in, Qt.MouseButton.LeftButton)
    assert "email address" in dialog.error.text() and dialog.isVisible()
    qtbot.keyClicks(dialog.email, ".com")
    qtbot.mouseClick(dialog.built_in, Qt.MouseButton.LeftButton)
    wait(lambda: not dialog.isVisible())
    profile = app.profile()
    assert profile is not None and profile.email == "robin@example.com"
    assert shell.window.stack.currentIndex() == Page.SETTINGS
    assert shell.window.settings.tabs.currentWidget().widget() is shell.window.settings.members
