"""Starting up: the window is on screen first, then the workspace opens and fills it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.requests import InvitationRequest
from inviteonce_desktop.ui.launch import load_workspace, preferences_for
from inviteonce_desktop.ui.main_window import MainWindow, Page
from inviteonce_desktop.ui.messages import MessageBridge
from inviteonce_desktop.ui.qt import QEventLoop

from .wizard_driver import Wait


def _frame(qtbot: QtBot, home: Path) -> MainWindow:
    window = MainWindow(MessageBridge(), preferences_for(home))
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_window_shows_before_the_workspace_opens_then_fills(
    qtbot: QtBot, qloop: QEventLoop, tmp_path: Path, wait: Wait
) -> None:
    home = tmp_path / "opened"
    earlier = InviteOnce.open(home)
    earlier.save_draft(InvitationRequest(subject="Renewal call"))
    earlier.close()
    window = _frame(qtbot, home)
    assert window.isVisible()
    with pytest.raises(RuntimeError, match="not open yet"):
        window.app  # noqa: B018
    assert not window.schedule.invite.isEnabled()
    assert window.status.progress.isVisible()
    assert window.status.currentMessage() == "Opening your workspace..."
    assert not window.status.connection.isVisible()
    window.show_page(Page.SETTINGS)
    window.show_page(Page.SCHEDULE)

    loading = asyncio.ensure_future(load_workspace(window, home, demo=True, tray_available=False))
    wait(loading.done)
    shell = loading.result()
    assert shell is not None and shell.window is window
    try:
        assert window.schedule.invite.isEnabled()
        assert "team members" in window.schedule.summary.text()
        invitations = window.activity.invitations.model
        assert invitations.rowCount() == 1 and "Renewal call" in invitations.index(0, 3).data()
        assert not window.status.progress.isVisible()
        assert window.status.currentMessage() == ""
        assert window.status.connection.isVisible()
        window.show_page(Page.ACTIVITY)
        assert window.stack.currentWidget() is window.activity
    finally:
        shell.tray.hide()
        window.app.close()


def test_a_workspace_that_cannot_be_opened_is_one_sentence_in_the_window(
    qtbot: QtBot, qloop: QEventLoop, tmp_path: Path, wait: Wait
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    home = blocker / "workspace"
    window = _frame(qtbot, home)

    loading = asyncio.ensure_future(load_workspace(window, home, tray_available=False))
    wait(loading.done)
    assert loading.result() is None
    message = window.banner.text.text()
    assert window.banner.isVisible()
    assert message.startswith(f"The workspace folder {home} cannot be used")
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    assert window.schedule.summary.text() == message
    assert not window.schedule.invite.isEnabled()
    assert not window.status.progress.isVisible()
    assert not window.status.connection.isVisible()


def test_the_window_module_leaves_the_database_layer_for_later() -> None:
    """run_app shows the frame before SQLAlchemy and the application layer are imported."""
    probe = (
        "import sys, inviteonce_desktop.ui.launch; "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', "
        "'inviteonce_desktop.store', 'inviteonce_desktop.application.facade'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_an_open_workspace_leaves_languages_invitation_files_and_the_keyring_for_later(
    tmp_path: Path,
) -> None:
    """Opening the demo workspace imports neither Babel, icalendar nor keyring: each comes
    with the first text formatted, .ics written or secret read, not with the window."""
    probe = (
        "import sys; from pathlib import Path; "
        "from inviteonce_desktop.application.facade import InviteOnce; "
        "from inviteonce_desktop.application.demo import seed_demo; "
        f"app = InviteOnce.open(Path({str(tmp_path / 'home')!r})); seed_demo(app); "
        "app.invitation_list(); app.meetings(); app.close(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'babel', 'icalendar', 'keyring', 'pytz'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_workspace_on_a_full_disk_is_one_sentence_naming_the_folder_and_the_cause(
    qtbot: QtBot, qloop: QEventLoop, tmp_path: Path, wait: Wait
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs needs root (CAP_SYS_ADMIN)")
    try:
        subprocess.run(
            ["dd", "if=/dev/zero", f"of={disk / 'filler'}", "bs=64k"], capture_output=True
        )
        home = disk / "workspace"
        window = _frame(qtbot, home)

        loading = asyncio.ensure_future(load_workspace(window, home, tray_available=False))
        wait(loading.done)

        assert loading.result() is None
        assert window.banner.text.text() == (
            f"The workspace folder {home} cannot be used: the disk is full."
        )
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
