"""The installed ``inviteonce`` program itself, as a user's shell starts it.

Everything else about the command line runs in-process through ``main(argv)``;
these few start the real executable, to prove that path works end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inviteonce_desktop import __version__

from .conftest import run_with_keyring as run

pytestmark = pytest.mark.slow


def test_the_program_names_its_version_and_refuses_bad_input(tmp_path: Path) -> None:
    result = run(tmp_path / "ws", "--version")
    assert (result.returncode, result.stdout) == (0, f"InviteOnce Desktop {__version__}\n")
    bad = run(tmp_path / "ws", "members", "add", "Bob", "bob@@example.com")
    assert (bad.returncode, bad.stderr) == (
        2,
        "inviteonce: 'bob@@example.com' is not an email address.\n",
    )


def test_the_demo_workspace_answers_a_slot_question(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    seeded = run(home, "demo")
    assert seeded.returncode == 0, seeded.stderr
    result = run(home, "slots", "-m", "Maria Keller", "--days", "7", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["time_zone"] == "Europe/Berlin"


def test_a_password_read_from_stdin_reaches_the_keyring_only(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    result = run(
        home,
        "settings",
        "mail",
        "smtp",
        "mail.example.com",
        "--username",
        "ann",
        "--password-stdin",
        stdin="smtp-secret-7\n",
    )
    assert result.returncode == 0, result.stderr
    assert b"smtp-secret-7" not in (home / "inviteonce.sqlite3").read_bytes()
    assert "smtp-secret-7" in (tmp_path / "keys.json").read_text()
