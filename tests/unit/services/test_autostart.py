"""Login items: an XDG autostart entry, a macOS LaunchAgent, and the command they run."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from inviteonce_desktop.services.autostart import (
    AutostartError,
    LaunchAgent,
    XdgAutostart,
    command,
)


def test_the_xdg_entry_starts_the_program_in_the_tray(tmp_path: Path) -> None:
    item = XdgAutostart(tmp_path)
    assert not item.enabled()
    item.enable(["/opt/Invite Once/inviteonce", "--data-dir", "/home/ann/100% work", "--minimized"])
    assert item.enabled()
    text = (tmp_path / "autostart" / "inviteonce.desktop").read_text()
    assert text.startswith("[Desktop Entry]\nType=Application\nName=InviteOnce\n")
    assert (
        'Exec="/opt/Invite Once/inviteonce" --data-dir "/home/ann/100%% work" --minimized\n' in text
    )
    item.disable()
    assert not item.enabled()
    item.disable()


def test_the_launch_agent_runs_at_load(tmp_path: Path) -> None:
    program = "/Applications/InviteOnce.app/Contents/MacOS/InviteOnce"
    item = LaunchAgent(tmp_path)
    item.enable([program, "--minimized"])
    plist = plistlib.loads(
        (tmp_path / "Library" / "LaunchAgents" / "app.inviteonce.desktop.plist").read_bytes()
    )
    assert plist == {
        "Label": "app.inviteonce.desktop",
        "ProgramArguments": [
            "/Applications/InviteOnce.app/Contents/MacOS/InviteOnce",
            "--minimized",
        ],
        "RunAtLoad": True,
    }
    assert item.enabled()


def test_the_command_opens_this_workspace_minimized(tmp_path: Path) -> None:
    argv = command(tmp_path / "workspace")
    assert argv[-3:] == ["--data-dir", str(tmp_path / "workspace"), "--minimized"]
    assert Path(argv[0]).name in ("inviteonce", "python", "python3") or argv[1] == "-m"


def test_a_login_item_that_cannot_be_written_is_one_sentence(tmp_path: Path) -> None:
    blocked = tmp_path / "config"
    blocked.write_text("not a folder")
    with pytest.raises(AutostartError, match=r"^The login item could not be saved in .*\)\.$"):
        XdgAutostart(blocked).enable(["inviteonce", "--minimized"])
