"""``inviteonce agent``: the window's sync loop without a window.

For a machine with no desktop session (or a user who keeps the window closed):
it serves the embedded relay, long-polls the bookings feed, works the outbox
and refreshes free/busy, until it is stopped (Ctrl+C or SIGTERM). One sync per
workspace: it refuses to start while the window runs it, and the window refuses
while the agent does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from typing import Any

from ..application.facade import InviteOnce
from ..core.meeting import Meeting, MeetingStatus

OWNER = "The InviteOnce agent"


def register(commands: Any) -> None:
    agent = commands.add_parser(
        "agent", help="run bookings, emails and calendar updates without the window"
    )
    agent.set_defaults(func=run_agent)


def run_agent(app: InviteOnce, args: argparse.Namespace) -> int:
    lock = app.sync_lock(OWNER)
    lock.acquire()
    try:
        return asyncio.run(_serve(app, lock))
    finally:
        lock.release()


async def _serve(app: InviteOnce, lock: Any) -> int:
    status = await app.start_relay()
    _say(f"InviteOnce agent running for {app.home}. {status}. Stop it with Ctrl+C.")
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(app.run_background(lock, _on_booking, _on_online))
    for stop in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
            loop.add_signal_handler(stop, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        _say("InviteOnce agent stopped.")
    finally:
        await asyncio.to_thread(app.stop_relay)
    return 0


def _on_booking(meeting: Meeting) -> None:
    when = meeting.start.isoformat(timespec="minutes")
    what = (
        "Cancelled"
        if meeting.status == MeetingStatus.CANCELLED
        else "Moved"
        if meeting.sequence
        else "Booked"
    )
    _say(f"{what}: {meeting.subject} with {meeting.participant_name} at {when}.")


def _on_online(online: bool) -> None:
    _say("The relay answers again." if online else "The relay cannot be reached; retrying.")


def _say(text: str) -> None:
    print(text, flush=True)
