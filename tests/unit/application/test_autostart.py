"""Starting at login: turned on once after the first invitation, never against a choice."""

from __future__ import annotations

import os
from pathlib import Path

from inviteonce_desktop.application.facade import InviteOnce


def entry() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "inviteonce.desktop"


def test_the_first_invitation_turns_it_on_once(app: InviteOnce) -> None:
    assert not app.autostart_state().enabled and not app.autostart_state().chosen
    assert app.autostart_after_first_invitation()
    assert app.autostart_state().enabled and entry().is_file()
    assert f"--data-dir {app.workspace.home} --minimized" in entry().read_text()
    assert not app.autostart_after_first_invitation()


def test_a_choice_to_keep_it_off_is_kept(app: InviteOnce) -> None:
    app.set_autostart(False)
    assert not app.autostart_after_first_invitation()
    assert not entry().exists()
    app.set_autostart(True)
    assert app.autostart_state().enabled
    app.set_autostart(False)
    assert not app.autostart_state().enabled and app.autostart_state().chosen
