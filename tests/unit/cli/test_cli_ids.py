"""Every command that takes an id refuses one the database cannot hold, in one sentence.

The cases are read from the parser itself: each argument that names a stored record by
id (``*_id``, ``--id``) and each that names a team member, room, pool or calendar
account (``#N`` or a number) is given 99999999999999999999, and 0, so a command added
later is walked too.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from inviteonce_desktop.cli.commands import build_parser
from inviteonce_desktop.cli.parsing import record_id
from inviteonce_desktop.core.errors import ValidationError
from tests.cli_runner import run_inviteonce

HUGE = "99999999999999999999"
NOT_IDS = {"client_id"}
"""Arguments ending in _id that are not record ids (an OAuth application's client id)."""
REFS = {"ref", "member", "room", "pool", "members"}
"""Arguments that name a record by name, email or ``#N``."""
ACCOUNT_REFS = {("profile", "calendar"), ("invite",)}
"""Commands whose ``calendar`` names a calendar account by id or name."""
FILLERS = {
    "name": "Someone",
    "email": "someone@example.com",
    "start": "2027-01-04T10:00",
    "end": "2027-01-04T11:00",
    "blocks": "busy",
    "account_id": "local",
}


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))
    if path:
        yield path, parser


def is_id(action: argparse.Action) -> bool:
    return action.dest not in NOT_IDS and (action.dest == "id" or action.dest.endswith("_id"))


def takes_ref(path: tuple[str, ...], action: argparse.Action) -> bool:
    if action.dest == "calendar":
        return path in ACCOUNT_REFS
    return action.dest in REFS


def argv(
    path: tuple[str, ...], parser: argparse.ArgumentParser, target: argparse.Action, value: str
) -> list[str]:
    words = list(path)
    for action in parser._actions:
        if action.option_strings:
            if action is target:
                words += [action.option_strings[-1], value]
            elif action.required:
                words += [action.option_strings[-1], FILLERS.get(action.dest, "Hello")]
            continue
        if isinstance(action, argparse._SubParsersAction):
            continue
        if action is target:
            words.append(value)
        elif action.choices:  # the action that takes the most options: "edit" over "show"
            words.append("edit" if "edit" in action.choices else str(next(iter(action.choices))))
        elif action.dest.endswith("_id") and action.nargs == "?":
            words.append("1")
        elif action.nargs not in ("?", "*"):
            words.append(FILLERS.get(action.dest, "Ann"))
    return words


def cases() -> Iterator[object]:
    for path, parser in commands(build_parser()):
        for action in parser._actions:
            name = " ".join(path) + " " + (action.option_strings or [action.dest])[-1]
            if is_id(action):
                for value in (HUGE, "0"):
                    yield pytest.param(path, parser, action, value, id=f"{name}={value}")
            elif takes_ref(path, action):
                yield pytest.param(path, parser, action, f"#{HUGE}", id=f"{name}=#{HUGE}")


CASES = list(cases())


def test_the_walk_finds_the_commands_that_take_ids() -> None:
    names = {" ".join(c.values[0]) for c in CASES}  # type: ignore[attr-defined]
    assert {
        "cancel",
        "resend",
        "send",
        "invitations",
        "calendars remove",
        "members remove",
    } <= names
    assert {"settings mail account", "busy add", "slots", "profile calendar", "invite"} <= names


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("ids")
    assert run_inviteonce(home, "demo").returncode == 0
    invite = ("invite", "Carla Customer", "carla@example.org", "-s", "Intro", "-m", "Ethan Park")
    assert run_inviteonce(home, *invite, "--send", "links").returncode == 0  # invitation 1
    return home


@pytest.mark.parametrize(("path", "parser", "target", "value"), CASES)
def test_an_id_out_of_range_is_one_sentence_and_exit_2(
    home: Path,
    path: tuple[str, ...],
    parser: argparse.ArgumentParser,
    target: argparse.Action,
    value: str,
) -> None:
    result = run_inviteonce(home, *argv(path, parser, target, value))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and value.lstrip("#") in lines[0], result.stderr
    assert "unexpected" not in result.stderr


@pytest.mark.parametrize(
    ("text", "value"), [("12", 12), ("#12", 12), (" 7 ", 7), ("9223372036854775807", 2**63 - 1)]
)
def test_an_id_is_a_whole_number_from_1_to_2_63_less_1(text: str, value: int) -> None:
    assert record_id(text, "invitation") == value


@pytest.mark.parametrize("text", ["9223372036854775808", HUGE, "0", "-3", "1.5", "١٢", "x"])
def test_anything_else_is_refused_naming_what_it_should_be(text: str) -> None:
    with pytest.raises(ValidationError, match=f"^'{text}' is not an invitation id; ids "):
        record_id(text, "invitation")
