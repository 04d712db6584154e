"""From the customer's click to the event in the organizer's calendar, with the app running.

A throwaway workspace with the embedded relay, the local calendar and an SMTP
server on loopback (aiosmtpd). ``sync.run_forever`` runs in this process's
event loop as it does in the desktop app. A second thread plays the customer:
it books one slot through the relay's JSON twin of the booking form and polls
the local calendar's store every 5 ms until the meeting's event is there.

Prints one JSON object: click_to_calendar_p50_ms, click_to_calendar_p95_ms
(over 50 bookings) and create_publish_ms (median time to create, publish and
email one invitation).
"""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import keyring
from aiosmtpd.controller import Controller

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.invitations import CreatedInvitation
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.application.requests import slot_request
from inviteonce_desktop.core.invitation import Invitation, MeetingDetails, Participant
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.services.mail import Security
from inviteonce_desktop.services.memory_keyring import MemoryKeyring
from inviteonce_desktop.store.activity import Meetings
from inviteonce_desktop.store.calendar_data import LocalEvents

BOOKINGS = 50
CREATES = 15
POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 30.0


class Sink:
    """Accepts every message; the benchmark does not read them."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def draft(app: InviteOnce, number: int) -> Invitation:
    members = tuple(m.id or 0 for m in app.members())
    return Invitation(
        Participant(f"Customer {number}", f"customer{number}@example.org"),
        MeetingDetails("Intro call", timedelta(minutes=30), members),
        TimeFrame("UTC", rolling_days=60, minimum_notice=timedelta(hours=1)),
    )


def event_present(app: InviteOnce, invitation_id: int) -> bool:
    with app.workspace.session() as session:
        meeting = Meetings(session).for_invitation(invitation_id)
        return meeting is not None and LocalEvents(session).get(meeting.event_uid) is not None


def customer(app: InviteOnce, bookings: list[tuple[int, str, str]], results: list[float]) -> None:
    """Book each (invitation id, token, start) in turn; time until its event is in the calendar.

    Each booking comes from another customer's address, as the relay sees it behind a proxy.
    """
    with httpx.Client(base_url=app.relay.client()._http.base_url) as http:
        for number, (invitation_id, token, start) in enumerate(bookings):
            customer_address = {"x-forwarded-for": f"10.0.{number // 250}.{number % 250 + 1}"}
            began = time.perf_counter()
            answer = http.post(
                f"/api/v1/i/{token}/book", json={"start": start}, headers=customer_address
            )
            if answer.status_code != 201:
                raise RuntimeError(f"The booking was refused: {answer.text}")
            while not event_present(app, invitation_id):
                if time.perf_counter() - began > TIMEOUT_SECONDS:
                    raise RuntimeError("The event never reached the calendar.")
                time.sleep(POLL_SECONDS)
            results.append((time.perf_counter() - began) * 1000)


async def run(app: InviteOnce) -> dict[str, float]:
    await app.relay.start_async()
    create_times = []
    created: list[CreatedInvitation] = []
    for number in range(BOOKINGS + CREATES):
        began = time.perf_counter()
        created.append(await app.create_invitation(draft(app, number)))
        create_times.append((time.perf_counter() - began) * 1000)
    slots = await app.list_slots(slot_request(created[0].invitation))
    bookings = [
        (c.invitation.id or 0, c.invitation.token or "", slots[i * 2].start.isoformat())
        for i, c in enumerate(created[:BOOKINGS])
    ]
    sync = asyncio.create_task(app.sync.run_forever(lambda meeting: None, lambda online: None))
    await asyncio.sleep(0.5)
    results: list[float] = []
    thread = threading.Thread(target=customer, args=(app, bookings, results))
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.05)
    sync.cancel()
    await asyncio.gather(sync, return_exceptions=True)
    if len(results) != BOOKINGS:
        raise RuntimeError("Not every booking reached the calendar.")
    return {
        "click_to_calendar_p50_ms": round(statistics.median(results), 1),
        "click_to_calendar_p95_ms": round(percentile(results, 0.95), 1),
        "create_publish_ms": round(statistics.median(create_times), 1),
    }


def main() -> None:
    keyring.set_keyring(MemoryKeyring())
    sink = Sink()
    port = free_port()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    with tempfile.TemporaryDirectory() as folder:
        app = InviteOnce.open(Path(folder) / "workspace")
        try:
            app.set_profile("Olivia Organizer", "olivia@example.com", "Europe/Berlin")
            app.add_member("Maria Keller", "maria@example.com")
            app.add_member("Tom Berg", "tom@example.com")
            app.mail.configure(MailSettings("smtp", "127.0.0.1", port, Security.NONE))
            figures = asyncio.run(run(app))
        finally:
            app.close()
            smtp.stop()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
