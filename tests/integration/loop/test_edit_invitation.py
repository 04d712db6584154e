"""Editing an open invitation from the command line: same links, new times on the relay.

``inviteonce`` runs in this process (tests/cli_runner) on the workspace of the
``desktop`` fixture, whose relay is a standalone ``inviteonce-relay``.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.cli_runner import Ran, run_inviteonce

from .parts import Desktop, invitation, slots_bookable_later

pytestmark = pytest.mark.slow

BERLIN = ZoneInfo("Europe/Berlin")
INVITE = ("invite", "Carla Customer", "carla@example.org", "-s", "Intro call")
MEMBERS = ("--member", "Maria Keller", "--member", "Tom Berg")


def cli(desktop: Desktop, *args: str) -> Ran:
    return run_inviteonce(desktop.app.home, *args)


def json_of(desktop: Desktop, *args: str) -> Any:
    done = cli(desktop, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def offered(desktop: Desktop, token: str) -> list[tuple[datetime, datetime]]:
    """The slots the relay offers the customer now, as a page load sees them."""
    answer = httpx.get(f"{desktop.relay.url}/api/v1/i/{token}")
    assert answer.status_code == 200, answer.text
    return [
        (datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
        for s in answer.json()["slots"]
    ]


def test_an_edit_republishes_on_the_same_links_and_old_promoted_links_stop_booking(
    desktop: Desktop,
) -> None:
    slots = slots_bookable_later(desktop, invitation(desktop))
    morning = next(s.start for s in slots if s.start.astimezone(BERLIN).hour < 12)
    tomorrow = desktop.clock.now() + timedelta(days=1)
    afternoon = next(
        s.start for s in slots if s.start.astimezone(BERLIN).hour == 14 and s.start > tomorrow
    )
    promote = ("--promote-at", morning.isoformat(), "--promote-at", afternoon.isoformat())
    created = json_of(desktop, *INVITE, *MEMBERS, *promote)
    token = created["url"].rsplit("/", 1)[1]
    old_promoted = dict(created["promoted"])
    assert any(start.astimezone(BERLIN).hour < 12 for start, _ in offered(desktop, token))

    edited = cli(
        desktop,
        "invitations",
        "edit",
        str(created["id"]),
        "--subject",
        "Pricing call",
        "--duration",
        "60",
        "--hours",
        "Mon-Fri 14:00-17:00",
    )

    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.startswith(f"Invitation {created['id']} is changed; its links stay")
    now_offered = offered(desktop, token)
    assert now_offered and all(s.astimezone(BERLIN).hour >= 14 for s, _ in now_offered)
    assert all(e - s == timedelta(hours=1) for s, e in now_offered)
    assert "Pricing call" in httpx.get(created["url"]).text
    shown = json_of(desktop, "invitations", "show", str(created["id"]))
    texts = [e["text"] for e in shown["history"]]
    assert "Edited: subject, duration, time frame." in texts
    (entry,) = json_of(desktop, "invitations")
    assert entry["url"] == created["url"]
    noticed = json_of(desktop, "invitations", "edit", str(created["id"]), "--notice", "5h")
    assert noticed["url"] == created["url"] and not noticed["queued"]
    assert dict(noticed["promoted"]) == {
        afternoon.astimezone(ZoneInfo("UTC")).isoformat(): old_promoted[
            afternoon.astimezone(ZoneInfo("UTC")).isoformat()
        ]
    }

    gone = httpx.get(old_promoted[morning.astimezone(ZoneInfo("UTC")).isoformat()])
    assert "That time is no longer available" in gone.text
    refused = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{token}/book", json={"start": morning.isoformat()}
    )
    assert refused.status_code == 409
    assert (
        "Confirm" in httpx.get(old_promoted[afternoon.astimezone(ZoneInfo("UTC")).isoformat()]).text
    )

    booked = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{token}/book", json={"start": afternoon.isoformat()}
    )
    assert booked.status_code == 201, booked.text
    asyncio.run(desktop.app.sync.run_once())
    (meeting,) = desktop.app.meetings()
    assert meeting.end - meeting.start == timedelta(hours=1)
    again = cli(desktop, "invitations", "edit", str(created["id"]), "--subject", "Later")
    assert again.returncode == 2
    assert again.stderr.strip() == (
        f"inviteonce: Invitation {created['id']} cannot be edited: it is booked; "
        "move or cancel the meeting instead."
    )


def test_reminders_come_from_settings_unless_the_invitation_says(desktop: Desktop) -> None:
    assert json_of(desktop, "settings", "reminders") == {"minutes_before": []}
    chosen = cli(desktop, "settings", "reminders", "24h", "90m")
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.strip() == (
        "New invitations remind the customer 24 h and 1 h 30 min before the meeting."
    )

    def reminders_of(*options: str) -> list[int]:
        created = json_of(desktop, *INVITE, *MEMBERS, "--send", "links", *options)
        minutes: list[int] = json_of(desktop, "invitations", "show", str(created["id"]))[
            "reminder_minutes"
        ]
        return minutes

    assert reminders_of() == [1440, 90]
    assert reminders_of("--remind", "1h", "--remind", "2d") == [2880, 60]
    assert reminders_of("--no-remind") == []
    bad = cli(desktop, *INVITE, *MEMBERS, "--remind", "1h", "--remind", "2h", "--remind", "3h")
    assert (bad.returncode, bad.stderr.strip()) == (
        2,
        "inviteonce: An invitation has at most 2 reminders.",
    )
    assert cli(desktop, "settings", "reminders", "none").returncode == 0
    assert reminders_of() == []
