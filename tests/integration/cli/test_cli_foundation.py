"""The command-line twin, run in this process through ``main(argv)``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.cli_runner import run_inviteonce as run


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo")
    result = run(home, "demo")
    assert result.returncode == 0, result.stderr
    assert "4 team members, 3 rooms, 1 resource pool" in result.stdout
    return home


def test_slots_on_the_demo_workspace_prints_a_sensible_count(demo_home: Path) -> None:
    result = run(
        demo_home,
        "slots",
        "-m",
        "Maria Keller",
        "-m",
        "Olivia Brooks",
        "-p",
        "Any meeting room",
        "--days",
        "14",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert 0 < data["count"] == len(data["slots"]) < 14 * 16
    assert data["time_zone"] == "Europe/Berlin"
    # Olivia's day in New York starts at 08:30: the afternoon in Berlin.
    new_york = ZoneInfo("America/New_York")
    starts = [datetime.fromisoformat(s["start"]) for s in data["slots"]]
    assert all(start.astimezone(new_york).time() >= time(8, 30) for start in starts)
    assert all(start.utcoffset() in (timedelta(hours=1), timedelta(hours=2)) for start in starts)
    assert all(s["pools"]["pool:1"] for s in data["slots"])


def test_members_rooms_and_pools_listings(demo_home: Path) -> None:
    members = json.loads(run(demo_home, "members", "list", "--json").stdout)
    assert {m["time_zone"] for m in members} == {"Europe/Berlin", "America/New_York"}
    rooms = json.loads(run(demo_home, "rooms", "list", "--json").stdout)
    assert [r["name"] for r in rooms] == ["Alder", "Birch", "Cedar"]
    pools = json.loads(run(demo_home, "pools", "list", "--json").stdout)
    assert pools == [{"id": 1, "name": "Any meeting room", "members": ["Alder", "Birch", "Cedar"]}]


def _a_monday_ahead() -> str:
    """A Monday at least a week from now in Kathmandu: every hour of its working day ahead."""
    today = datetime.now(ZoneInfo("Asia/Kathmandu")).date()
    return (today + timedelta(days=7 + (-today.weekday()) % 7)).isoformat()


def test_adding_busy_time_removes_slots(tmp_path: Path) -> None:
    monday = _a_monday_ahead()
    assert (
        run(
            tmp_path, "members", "add", "Ann", "ann@example.com", "--tz", "Asia/Kathmandu"
        ).returncode
        == 0
    )
    args = [
        "slots",
        "-m",
        "Ann",
        "--from",
        monday,
        "--to",
        monday,
        "--tz",
        "Asia/Kathmandu",
        "--notice",
        "0",
        "--json",
    ]
    before = json.loads(run(tmp_path, *args).stdout)["count"]
    added = run(
        tmp_path,
        "busy",
        "add",
        "Ann",
        f"{monday}T10:00",
        f"{monday}T11:00",
        "--tz",
        "Asia/Kathmandu",
    )
    assert added.returncode == 0, added.stderr
    after = json.loads(run(tmp_path, *args).stdout)["count"]
    assert (before, after) == (16, 14)


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["slots", "-m", "nobody"], "There is no team member 'nobody'."),
        (["slots", "-m", "Ann", "-d", "0"], "The meeting duration must be longer than zero."),
        (
            ["slots", "-m", "Ann", "-d", "25h"],
            "The meeting duration cannot be longer than 24 hours.",
        ),
        (
            ["slots", "-m", "Ann", "--from", "2027-01-10", "--to", "2027-01-01"],
            "The end date comes before the start date.",
        ),
        (
            ["slots", "-m", "Ann", "--tz", "Mars/Olympus"],
            "'Mars/Olympus' is not a known time zone.",
        ),
        (
            ["slots", "-m", "Ann", "--from", "2027-01-01", "--to", "2028-06-01"],
            "longer than 365 days",
        ),
        (
            ["members", "add", "Bob", "bob@@example.com"],
            "'bob@@example.com' is not an email address.",
        ),
        (["busy", "import", "Ann", "/nonexistent/calendar.ics"], "cannot be read"),
    ],
)
def test_bad_input_is_one_sentence_exit_2_and_nothing_written(
    tmp_path: Path, args: list[str], sentence: str
) -> None:
    assert run(tmp_path, "members", "add", "Ann", "ann@example.com").returncode == 0
    before = run(tmp_path, "members", "list", "--json").stdout
    result = run(tmp_path, *args)
    assert result.returncode == 2
    assert sentence in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert run(tmp_path, "members", "list", "--json").stdout == before


def test_an_unreadable_ics_leaves_nothing_half_written(tmp_path: Path) -> None:
    run(tmp_path, "members", "add", "Ann", "ann@example.com")
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:nonsense\n")
    result = run(tmp_path, "busy", "import", "Ann", str(broken))
    assert result.returncode == 2 and "it may have been cut short" in result.stderr
    listed = run(
        tmp_path, "busy", "list", "Ann", "--from", "2020-01-01", "--to", "2030-01-01", "--json"
    )
    assert json.loads(listed.stdout) == []


def test_opening_the_window_loads_no_database_layer_first() -> None:
    """``inviteonce`` with no command shows the window before SQLAlchemy loads."""
    code = (
        "import sys, inviteonce_desktop.cli as cli; "
        "assert cli._window_options(['--demo']) is not None; "
        "assert cli._window_options(['slots', '-m', 'Ann']) is None; "
        "import inviteonce_desktop.ui.launch; "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
