"""The command line's parser, built once per process and shared by every command it runs."""

from __future__ import annotations

from inviteonce_desktop.cli.commands import build_parser, parse


def test_one_parser_serves_every_command_of_the_process() -> None:
    assert build_parser() is build_parser()


def test_a_repeated_option_of_one_command_does_not_reach_the_next() -> None:
    first = parse(["slots", "-m", "Ann", "-m", "Bob", "-r", "Blue room"])
    second = parse(["slots"])
    assert (first.member, first.room) == (["Ann", "Bob"], ["Blue room"])
    assert (second.member, second.room, second.pool) == ([], [], [])
    first.member.append("Cy")  # a command may change what it was given
    second.member.append("Dee")
    assert parse(["slots"]).member == []
    assert parse(["slots", "-m", "Ann"]).member == ["Ann"]
