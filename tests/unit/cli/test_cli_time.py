"""The command line on times, numbers and names: one sentence and exit 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inviteonce_desktop.cli.commands import run

FALL_BACK = "2036-11-02"  # New York repeats 01:00-02:00
SPRING = "2036-03-09"  # New York skips 02:00-03:00


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def ann(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "profile", "set", "Org", "org@example.com", "America/New_York")[0] == 0
    assert cli(capsys, "members", "add", "Ann", "ann@example.com")[0] == 0


@pytest.mark.usefixtures("ann")
@pytest.mark.parametrize(
    ("option", "value", "sentence"),
    [
        ("-d", "99999999999999999999h", "'99999999999999999999h' is too long for a duration"),
        ("--notice", "99999999999h", "'99999999999h' is too long for a minimum notice"),
        ("--buffer-before", "99999999999h", "'99999999999h' is too long for a buffer"),
        ("--interval", "99999999999999m", "'99999999999999m' is too long for a slot interval"),
        ("--tz", "", "'' is not a time zone name."),
        ("--tz", "Mars/Olympus", "'Mars/Olympus' is not a known time zone."),
    ],
)
def test_bad_numbers_and_zones_are_one_sentence_and_exit_2(
    capsys: pytest.CaptureFixture[str], option: str, value: str, sentence: str
) -> None:
    code, out, err = cli(capsys, "slots", "-m", "Ann", option, value)
    assert code == 2
    assert sentence in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.usefixtures("ann")
def test_busy_time_in_a_skipped_hour_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(
        capsys,
        "busy",
        "add",
        "Ann",
        f"{SPRING}T02:30",
        f"{SPRING}T03:30",
        "--tz",
        "America/New_York",
    )
    assert code == 2
    assert err.strip() == (
        f"inviteonce: The clocks in America/New_York skip {SPRING}T02:30; read as 03:30, as "
        f"calendars do, it leaves no busy time before {SPRING}T03:30."
    )
    code, out, _ = cli(
        capsys,
        "busy",
        "add",
        "Ann",
        f"{SPRING}T02:30",
        f"{SPRING}T04:30",
        "--tz",
        "America/New_York",
    )
    assert (code, out.strip()) == (0, "Busy Sun 09 Mar 03:30-04:30 (America/New_York).")
    code, out, _ = cli(
        capsys,
        "slots",
        "-m",
        "Ann",
        "--from",
        SPRING,
        "--to",
        SPRING,
        "--hours",
        "Sun 00:00-06:00",
        "--interval",
        "60",
        "-d",
        "60",
        "--notice",
        "0",
        "--json",
    )
    assert code == 0
    starts = [s["start"][11:16] for s in json.loads(out)["slots"]]
    assert starts == ["00:00", "01:00", "05:00"]  # 02:00 does not exist; 03:30-04:30 is busy


@pytest.mark.usefixtures("ann")
def test_the_listing_shows_the_zone_when_a_wall_time_repeats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(
        capsys,
        "slots",
        "-m",
        "Ann",
        "--from",
        FALL_BACK,
        "--to",
        FALL_BACK,
        "--hours",
        "Sun 00:00-03:00",
        "--interval",
        "30",
        "-d",
        "30",
        "--notice",
        "0",
    )
    assert code == 0
    assert out.splitlines()[3:] == [
        "  00:00-00:30",
        "  00:30-01:00 EDT",
        "  01:00 EDT-01:30 EDT",
        "  01:30 EDT-01:00 EST",
        "  01:00 EST-01:30 EST",
        "  01:30 EST-02:00",
        "  02:00-02:30",
        "  02:30-03:00",
    ]


def test_names_in_any_script_and_numbers_as_names(capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "profile", "set", "Org", "org@example.com", "UTC")
    cli(capsys, "members", "add", "Иван Петров", "ivan@example.com")
    cli(capsys, "members", "add", "2027", "year@example.com")
    cli(capsys, "rooms", "add", "Éclair")
    for args in (["-m", "иван петров"], ["-m", "2027"], ["-m", "#1", "-r", "éclair"]):
        code, _, err = cli(capsys, "slots", *args, "--days", "1", "--json")
        assert code == 0, err
    code, out, _ = cli(capsys, "members", "remove", "2027")
    assert (code, out.strip()) == (0, "Removed 2027.")
    code, out, _ = cli(capsys, "members", "remove", "--id", "1")
    assert (code, out.strip()) == (0, "Removed Иван Петров.")
    code, _, err = cli(capsys, "rooms", "remove")
    assert code == 2 and "Name the room to remove, or give its --id." in err


def test_import_prints_its_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cli(capsys, "profile", "set", "Org", "org@example.com", "UTC")
    cli(capsys, "members", "add", "Émile Zola", "emile@example.com", "--tz", "Europe/Paris")
    path = tmp_path / "one.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        b"DTSTART;VALUE=DATE:20360101\r\nSUMMARY:Holiday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    code, out, _ = cli(capsys, "busy", "import", "émile zola", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Imported 0 events from one.ics for Émile Zola, reading ")
    assert lines[0].endswith(": its one event lies outside the import window.")
    assert (
        lines[1] == "All-day and floating times were read in Europe/Paris, Émile Zola's own zone."
    )


def test_a_huge_room_capacity_is_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "rooms", "add", "Hall", "--capacity", "99999999999999999999")
    assert (code, err.strip()) == (
        2,
        "inviteonce: A room's capacity cannot be more than 100,000.",
    )


@pytest.mark.usefixtures("ann")
def test_one_slot_is_a_slot_and_a_negative_limit_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(
        capsys,
        "slots",
        "-m",
        "Ann",
        "--from",
        "2036-01-07",
        "--to",
        "2036-01-07",
        "--hours",
        "Mon-Fri 09:00-09:30",
        "--notice",
        "0",
    )
    assert code == 0 and out.startswith("1 available time slot (America/New_York).\n")
    code, _, err = cli(capsys, "slots", "-m", "Ann", "--limit", "-5")
    assert code == 2
    assert err.strip() == "inviteonce: The --limit is -5; give 0 or more slots to list."
