"""Reminder offsets: parsed from the command line's words, checked, and said back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from inviteonce_desktop.application.requests import InvitationRequest
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.reminders import (
    offset_text,
    offsets_text,
    parse_offset,
    reminder_offsets,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("24h", 1440), ("1", 60), ("90m", 90), ("90 min", 90), ("1.5h", 90), ("2d", 2880)],
)
def test_offsets_read_as_people_write_them(text: str, minutes: int) -> None:
    assert parse_offset(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "soon", "1.01h", "-2h", "3w"])
def test_other_words_are_refused_with_one_sentence(text: str) -> None:
    with pytest.raises(ValidationError, match="is not"):
        parse_offset(text)


def test_offsets_are_checked_and_put_earliest_first() -> None:
    hour = timedelta(hours=1)
    assert reminder_offsets([hour, 24 * hour, hour]) == (24 * hour, hour)
    with pytest.raises(ValidationError, match="at most 2"):
        reminder_offsets([hour, 2 * hour, 3 * hour])
    with pytest.raises(ValidationError, match="between 5 minutes and 14 days"):
        reminder_offsets([timedelta(minutes=1)])
    with pytest.raises(ValidationError, match="between 5 minutes and 14 days"):
        reminder_offsets([timedelta(days=15)])


def test_offsets_are_said_in_hours_and_minutes() -> None:
    assert offset_text(timedelta(hours=24)) == "24 h"
    assert offset_text(timedelta(minutes=90)) == "1 h 30 min"
    assert offset_text(timedelta(minutes=30)) == "30 min"
    assert offset_text(timedelta(days=3)) == "3 d"
    assert offsets_text((timedelta(hours=24), timedelta(hours=1))) == "24 h and 1 h before"
    assert offsets_text(()) == "none"


def test_a_request_keeps_its_reminders_through_a_draft_and_none_means_the_default() -> None:
    request = InvitationRequest(
        participant_name="Carla",
        participant_email="carla@example.org",
        subject="Intro",
        team_member_ids=[1],
        reminder_minutes=[60, 1440],
    )
    again = InvitationRequest.from_json(request.to_json())
    assert again.reminder_minutes == [60, 1440]
    assert again.invitation().notifications.reminders == (timedelta(days=1), timedelta(hours=1))
    assert InvitationRequest.from_invitation(again.invitation()).reminder_minutes == [1440, 60]
    default = InvitationRequest.from_json({**request.to_json(), "notifications": {}})
    assert default.reminder_minutes is None
    assert default.invitation().notifications.reminders is None
