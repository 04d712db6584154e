"""The organizer's default calendar, through the CLI in-process, with Radicale behind it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import caldav
import pytest

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.cli.commands import run
from inviteonce_desktop.core.invitation import BUILT_IN_CALENDAR, CalendarChoice

from .fakes.radicale import RadicaleServer, radicale_server


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    """A Radicale of this module's own: its calendars are created and chosen here."""
    with radicale_server(tmp_path_factory.mktemp("radicale"), {"bob": "bob-pw"}) as server:
        yield server


def cli(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(["--data-dir", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def second_calendar(radicale: RadicaleServer, name: str) -> str:
    with caldav.DAVClient(radicale.url, username="bob", password="bob-pw") as client:
        principal = client.principal()  # type: ignore[no-untyped-call]
        principal.make_calendar(name=name, cal_id=name)
    return f"{radicale.url}bob/{name}/"


def connect(home: Path, radicale: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        home, capsys, "calendars", "connect", "caldav", radicale.url, "bob", "--password-stdin"
    )
    assert code == 0, err
    assert "Connected" in out


@pytest.fixture
def home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "ws"
    code, _, err = cli(folder, capsys, "profile", "set", "Bob", "bob@example.com", "UTC")
    assert code == 0, err
    return folder


def test_the_built_in_calendar_is_the_default_only_while_nothing_is_connected(
    home: Path,
    radicale: RadicaleServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    second_calendar(radicale, "own")
    assert cli(home, capsys, "profile", "calendar")[1] == (
        "Booked meetings go to Built-in calendar.\n"
    )
    # An organizer who chose the built-in calendar before connecting anything.
    assert cli(home, capsys, "profile", "calendar", "built-in")[0] == 0

    monkeypatch.setattr("sys.stdin", _Stdin("bob-pw\n"))
    connect(home, radicale, capsys)

    code, out, _ = cli(home, capsys, "profile", "show", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["calendar"] == "1"
    assert "CalDAV" in shown["calendar_name"]
    app = InviteOnce.open(home)
    try:
        assert app.default_calendar() == CalendarChoice(1)
    finally:
        app.close()


def test_profile_and_invite_choose_an_account_and_calendar_by_name_or_id(
    home: Path,
    radicale: RadicaleServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    team = second_calendar(radicale, "team")
    monkeypatch.setattr("sys.stdin", _Stdin("bob-pw\n"))
    connect(home, radicale, capsys)
    code, out, _ = cli(home, capsys, "profile", "calendar", f"1/{team}")
    assert code == 0 and team in out
    app = InviteOnce.open(home)
    try:
        assert app.default_calendar() == CalendarChoice(1, team)
        name = app.calendars.account(1).name
        assert app.parse_calendar(name) == CalendarChoice(1)
        assert app.parse_calendar(f"{name.upper()}/{team}") == CalendarChoice(1, team)
        assert app.parse_calendar("built-in") == BUILT_IN_CALENDAR
        labels = [o.label for o in app.calendar_options()]
        assert labels[-1] == "Built-in calendar" and team in labels[0]
    finally:
        app.close()


def test_an_unknown_calendar_is_one_sentence_and_nothing_is_saved(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(home, capsys, "members", "add", "Ann", "ann@example.com")
    assert code == 0, err
    code, _, err = cli(
        home,
        capsys,
        "invite",
        "Carla",
        "carla@example.org",
        "-s",
        "Intro",
        "--member",
        "Ann",
        "--calendar",
        "Work Google",
        "--draft",
    )
    assert code == 2
    assert err == (
        "inviteonce: There is no calendar account 'Work Google': no calendar is connected yet.\n"
    )
    assert json.loads(cli(home, capsys, "invitations", "--json")[1]) == []
    code, _, err = cli(home, capsys, "profile", "calendar", "7")
    assert code == 2 and err.count("\n") == 1


class _Stdin:
    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self._lines, "")

    def isatty(self) -> bool:
        return False
