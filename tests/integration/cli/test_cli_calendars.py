"""``inviteonce calendars`` run in this process."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from tests.cli_runner import run_inviteonce as run


def refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/dav/"


def test_an_unreachable_server_is_one_sentence_and_no_account(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    result = run(
        home,
        "calendars",
        "connect",
        "caldav",
        refused_url(),
        "ann",
        "--password-stdin",
        stdin="secret-app-password\n",
    )
    assert result.returncode == 1
    assert result.stderr.startswith("inviteonce: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and "secret-app-password" not in result.stderr
    listed = run(home, "calendars", "list", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_mapping_to_an_unknown_account_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert run(home, "members", "add", "Ann", "ann@example.com").returncode == 0
    result = run(home, "calendars", "map", "Ann", "7")
    assert (result.returncode, result.stderr) == (
        2,
        "inviteonce: There is no calendar account 7.\n",
    )
    result = run(home, "calendars", "map", "Ann", "local")
    assert result.returncode == 0 and "built-in calendar" in result.stdout


def test_a_password_is_never_read_from_a_non_terminal_without_the_flag(tmp_path: Path) -> None:
    result = run(tmp_path / "ws", "calendars", "connect", "caldav", refused_url(), "ann")
    assert result.returncode == 2
    assert "--password-stdin" in result.stderr


def test_the_calendar_refresh_interval_is_a_setting(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = run(home, "calendars", "refresh-every", "2m")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Connected calendars are read every 2 min; older busy time counts as stale.\n"
    )
    bad = run(home, "calendars", "refresh-every", "soon")
    assert bad.returncode == 2
    assert bad.stderr == "inviteonce: 'soon' is not a refresh interval like 30, 45m or 1h30m.\n"
