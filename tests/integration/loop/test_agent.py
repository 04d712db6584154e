"""``inviteonce agent``: bookings reach the workspace with no window open; one sync a workspace."""

from __future__ import annotations

import asyncio
import os
import select
import signal
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from inviteonce_desktop.cli.commands import run

from .parts import Desktop, executable, invitation, slots_bookable_later

pytestmark = pytest.mark.slow


@pytest.fixture
def agent(shared_keyring: dict[str, str], desktop: Desktop) -> Iterator[subprocess.Popen[str]]:
    env = {**shared_keyring, "INVITEONCE_HOME": str(desktop.app.workspace.home)}
    process = subprocess.Popen(
        [executable("inviteonce"), "agent"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = next_line(process)
    assert first.startswith("InviteOnce agent running"), first
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate()


def next_line(process: subprocess.Popen[str], seconds: float = 60.0) -> str:
    """The next line the process prints, waiting at most *seconds* for it."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], seconds)
    assert ready, "the agent printed nothing"
    return process.stdout.readline()


def wait_for(condition: object, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("the agent did not get there")


def test_a_booking_becomes_a_meeting_with_no_window_open(
    shared_keyring: dict[str, str], desktop: Desktop, agent: subprocess.Popen[str]
) -> None:
    created = asyncio.run(desktop.app.create_invitation(invitation(desktop)))
    start = slots_bookable_later(desktop, invitation(desktop))[0].start
    token = created.invitation.token
    assert not created.queued and created.links.url, created
    booked = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{token}/book", json={"start": start.isoformat()}
    )
    assert booked.status_code == 201

    wait_for(lambda: len(desktop.app.meetings()) == 1)
    (meeting,) = desktop.app.meetings()
    assert meeting.start == start and meeting.participant_email == "carla@example.org"
    wait_for(lambda: len(desktop.mailbox.to("carla@example.org")) == 2)
    subjects = [m["Subject"] for m in desktop.mailbox.to("carla@example.org")]
    assert any("Intro call" in s for s in subjects)

    assert next_line(agent).startswith("Booked: Intro call with Carla Customer at ")

    agent.send_signal(signal.SIGTERM)
    out, err = agent.communicate(timeout=30)
    assert agent.returncode == 0, err
    assert out == "InviteOnce agent stopped.\n"
    assert "Traceback" not in err


def test_a_second_agent_on_the_same_workspace_is_refused(
    shared_keyring: dict[str, str], desktop: Desktop, agent: subprocess.Popen[str]
) -> None:
    env = {**shared_keyring, "INVITEONCE_HOME": str(desktop.app.workspace.home)}
    second = subprocess.run(
        [executable("inviteonce"), "agent"], env=env, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 2
    assert second.stderr.strip() == (
        f"inviteonce: The InviteOnce agent (process {agent.pid}) already runs the sync for "
        "this workspace; bookings, emails and calendar updates go through it."
    )
    assert agent.poll() is None


def test_the_agent_refuses_while_the_window_holds_the_workspace(
    desktop: Desktop, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = desktop.app.sync_lock("The InviteOnce window")
    lock.acquire()
    try:
        code = run(["--data-dir", str(desktop.app.workspace.home), "agent"])
    finally:
        lock.release()
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"inviteonce: The InviteOnce window (process {os.getpid()}) already runs the sync for "
        "this workspace; bookings, emails and calendar updates go through it."
    )
