"""The invitation loop through ``inviteonce``'s command line, ``main(argv)`` in this process.

Each command opens the workspace afresh, as the entry point does, and shares the
test's keyring; the relay is the standalone one, so a customer can book between
two commands. The real entry point in a process of its own is proven by the agent
and kill tests (and tests/integration/cli).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from inviteonce_desktop.core.invitation import InvitationStatus
from tests.cli_runner import Ran, run_inviteonce

from .parts import Desktop, free_port, invitation, slots_bookable_later

pytestmark = pytest.mark.slow

MEMBERS = ["--member", "Maria Keller", "--member", "tom@example.com"]


def inviteonce(home: Path, *args: str) -> Ran:
    return run_inviteonce(home, *args)


def json_of(home: Path, *args: str) -> Any:
    done = inviteonce(home, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_invite_book_sync_meetings_and_cancel(desktop: Desktop) -> None:
    home = desktop.app.home
    created = json_of(
        home, "invite", "Carla Customer", "carla@example.org", "-s", "Intro call", *MEMBERS
    )
    assert created["status"] == "pending" and not created["queued"] and created["url"]
    (listed,) = json_of(home, "invitations")
    assert listed["id"] == created["id"] and listed["url"] == created["url"]
    assert listed["team_members"] == ["Maria Keller", "Tom Berg"]
    assert len(desktop.mailbox.messages) == 1

    start = slots_bookable_later(desktop, invitation(desktop))[0].start
    token = created["url"].rsplit("/", 1)[1]
    booked = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{token}/book", json={"start": start.isoformat()}
    )
    assert booked.status_code == 201

    assert json_of(home, "sync") == {"done": 4, "failed": 0, "bookings": 1, "waiting": 0}
    assert json_of(home, "sync") == {"done": 0, "failed": 0, "bookings": 0, "waiting": 0}
    (meeting,) = json_of(home, "meetings")
    assert meeting["invitation_id"] == created["id"]
    assert meeting["status"] == "confirmed" and meeting["email"] == "carla@example.org"
    assert meeting["resources"] == ["Maria Keller", "Tom Berg"]
    assert len(desktop.mailbox.messages) == 4

    cancelled = inviteonce(home, "cancel", str(created["id"]))
    assert cancelled.returncode == 0, cancelled.stderr
    assert cancelled.stdout.strip() == (
        f"Cancelled invitation {created['id']}. The customer and the team are told (3 emails sent)."
    )
    (meeting,) = json_of(home, "meetings")
    assert meeting["status"] == "cancelled"
    assert "cancelled" in httpx.get(created["url"]).text
    cancel = desktop.mailbox.messages[-3:]
    assert sorted(str(m["To"]).rsplit("<", 1)[1] for m in cancel) == [
        "carla@example.org>",
        "maria@example.com>",
        "tom@example.com>",
    ]
    shown = json_of(home, "invitations", "show", str(created["id"]))
    kinds = [entry["kind"] for entry in shown["history"]]
    assert kinds[:2] == ["published", "emailed"] and "booked" in kinds
    assert kinds.count("cancellation sent") == 1 and kinds.count("cancelled") == 1


def test_offline_invite_is_sent_by_a_later_sync_once(desktop: Desktop) -> None:
    home = desktop.app.home
    desktop.use_relay(f"http://127.0.0.1:{free_port()}")
    created = json_of(
        home, "invite", "Carla Customer", "carla@example.org", "-s", "Intro call", *MEMBERS
    )
    assert created["queued"] and created["status"] == "draft" and created["url"] is None
    (listed,) = json_of(home, "invitations")
    assert listed["problem"]

    desktop.use_relay(desktop.relay.url)
    assert json_of(home, "sync") == {"done": 2, "failed": 0, "bookings": 0, "waiting": 0}
    assert json_of(home, "sync")["done"] == 0

    (listed,) = json_of(home, "invitations")
    assert listed["status"] == "pending" and listed["url"] and listed["problem"] is None
    assert desktop.relay.offer_counts(desktop.organizer) == {str(created["id"]): 1}
    assert len(desktop.mailbox.messages) == 1


@pytest.mark.parametrize(
    ("name", "address"),
    [("Carla Customer", "carla"), ("Carla Customer", "carla@example.org\nBcc: eve@example.org")],
)
def test_an_address_that_is_not_one_exits_2_with_one_sentence(
    desktop: Desktop, name: str, address: str
) -> None:
    done = run_inviteonce(desktop.app.home, "invite", name, address, "-s", "Intro call", *MEMBERS)

    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("inviteonce: '") and line.endswith("is not an email address.")
    assert desktop.app.invitations.list() == []
    assert desktop.mailbox.messages == []


def test_zero_slots_exit_2_and_say_why(desktop: Desktop) -> None:
    day = "2020-01-06"
    done = run_inviteonce(
        desktop.app.home, "invite", "Carla Customer", "carla@example.org", "-s", "Intro call",
        *MEMBERS, "--from", day, "--to", day,
    )  # fmt: skip

    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("inviteonce: The invitation has no available time slots: ")
    assert desktop.app.invitations.list(statuses=(InvitationStatus.DRAFT,)) == []
