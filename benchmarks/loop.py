"""From the customer's click to the event in the organizer's calendar, with the app running.

A throwaway workspace with the embedded relay, the local calendar and an SMTP
server on loopback (aiosmtpd). ``sync.run_forever`` runs in this process's
event loop as it does in the desktop app. A second thread plays the customer:
it books one slot through the relay's JSON twin of the booking form and polls
the local calendar's store every 5 ms until the meeting's event is there.

Then the loop is killed: ``inviteonce sync`` runs in subprocesses against a
standalone relay and a slow SMTP server (0.2 s before its 250 to DATA) whose
Sent folder is searchable over IMAP, and is SIGKILLed at random moments of its
work, 100 times, while invitations are published, emailed, booked, confirmed
and notified; a last sync runs to the end.

Prints one JSON object: click_to_calendar_p50_ms, click_to_calendar_p95_ms
(over 50 bookings), create_publish_ms (median time to create, publish and
email one invitation), kill_duplicates (copies the SMTP server received beyond
one per message) and lost_messages (messages that should have arrived and did
not).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from tests.integration.loop.parts import SyncDriver

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


KILLS = 100
KILL_WINDOW_SECONDS = 1.5
ROUND_INVITATIONS = 4
REPO = Path(__file__).resolve().parents[1]
DRIVER = REPO / "tests" / "integration" / "loop" / "sync_driver.py"


def killed_loop() -> dict[str, int]:
    """The loop killed KILLS times; its duplicate and lost messages."""
    sys.path.insert(0, str(REPO))
    from inviteonce_desktop.application.emails import workspace_tag
    from inviteonce_desktop.application.relay_host import RelaySettings
    from inviteonce_desktop.relay.database import create_relay_engine, migrate
    from inviteonce_desktop.relay.organizers import OrganizerDirectory
    from tests.integration.loop.file_keyring import FILE_VARIABLE, FileKeyring
    from tests.integration.loop.parts import SyncDriver
    from tests.integration.mail.imap_sent import imap_sent
    from tests.integration.mail.smtp_faults import faulty_smtp

    rng = random.Random(int(os.environ.get("INVITEONCE_KILL_SEED", "13")))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ[FILE_VARIABLE] = str(root / "keyring.json")
        keyring.set_keyring(FileKeyring())
        database_url = f"sqlite:///{root / 'relay.sqlite3'}"
        migrate(create_relay_engine(database_url, pool_size=1))
        engine = create_relay_engine(database_url, pool_size=1)
        key = OrganizerDirectory(engine).add("benchmark")
        engine.dispose()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        relay = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("inviteonce-relay")),
                "serve",
                "--database-url",
                database_url,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--public-url",
                url,
            ],
            env={**os.environ, "INVITEONCE_RELAY_BOOKINGS_PER_MINUTE": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        env = {
            **os.environ,
            "INVITEONCE_HOME": str(root / "workspace"),
            "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
            "PYTHONPATH": os.pathsep.join([str(DRIVER.parent), str(REPO)]),
        }
        try:
            _wait_for(url)
            with (
                faulty_smtp(delay=0.2) as smtp,
                imap_sent(lambda: set(smtp.sent)) as imap,
                contextlib.closing(SyncDriver()) as driver,
            ):
                app = InviteOnce.open(root / "workspace")
                try:
                    app.set_profile("Olivia Organizer", "olivia@example.com", "Europe/Berlin")
                    app.add_member("Maria Keller", "maria@example.com")
                    app.add_member("Tom Berg", "tom@example.com")
                    app.relay.configure(RelaySettings(embedded=False, url=url), api_key=key)
                    app.set_sent_settle_minutes(0)  # the IMAP fake files each message at once
                    mail = MailSettings(
                        "smtp",
                        "127.0.0.1",
                        smtp.port,
                        Security.NONE,
                        "olivia",
                        sent_host="127.0.0.1",
                        sent_port=imap.port,
                        sent_security=Security.NONE,
                    )
                    kills, number = 0, 0
                    while kills < KILLS:
                        app.mail.configure(MailSettings())
                        for _ in range(ROUND_INVITATIONS):
                            created = asyncio.run(app.create_invitation(draft(app, number)))
                            _book(url, app, created, number)
                            number += 1
                        app.mail.configure(mail, imap.password)
                        kills += _kill_until_done(driver, env, rng, KILLS - kills)
                    _sync(driver, env)
                    _sync(driver, env)
                    return _count(app, smtp.copies(), workspace_tag(app.workspace))
                finally:
                    app.close()
        finally:
            relay.terminate()
            relay.wait(timeout=10)


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("The relay did not start.")


def _book(url: str, app: InviteOnce, created: CreatedInvitation, number: int) -> None:
    slots = app.list_slots_now(slot_request(created.invitation))
    answer = httpx.post(
        f"{url}/api/v1/i/{created.invitation.token}/book",
        json={"start": slots[number * 2].start.isoformat()},
    )
    if answer.status_code != 201:
        raise RuntimeError(f"The booking was refused: {answer.text}")


def _kill_until_done(
    driver: SyncDriver, env: dict[str, str], rng: random.Random, budget: int
) -> int:
    """Syncs killed at random moments of their work until one finishes; how many were killed."""
    for killed in range(budget):
        ended, _ = driver.run(env, rng.uniform(0.0, KILL_WINDOW_SECONDS))
        if ended != "killed":
            return killed
    return budget


def _sync(driver: SyncDriver, env: dict[str, str]) -> None:
    ended, printed = driver.run(env, None)
    if ended != "exited 0":
        raise RuntimeError(f"A sync ended {ended}: {printed[-400:]}")


def _count(app: InviteOnce, copies: dict[str, int], tag: str) -> dict[str, int]:
    members = [m.id for m in app.members()]
    meetings = app.meetings()
    expected = {
        f"<invitation.{e.invitation.id}.1.{tag}@example.com>" for e in app.invitations.list()
    }
    expected |= {f"<confirmation.{m.id}.{tag}@example.com>" for m in meetings}
    expected |= {f"<notification.{m.id}.{k}.{tag}@example.com>" for m in meetings for k in members}
    return {
        "kill_duplicates": sum(n - 1 for n in copies.values() if n > 1),
        "lost_messages": len(expected - set(copies)),
    }


RESCHEDULES = 30


def _manage_form(http: httpx.Client, manage_url: str, start: str) -> dict[str, str]:
    """The reschedule form of the manage link's confirm page for the slot at *start*."""
    slot = start.replace("-", "").replace(":", "").replace("+0000", "Z")
    page = http.get(f"{manage_url}/reschedule/{slot}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    expected = re.search(r'name="from" value="(\d+)"', page.text)
    if csrf is None or expected is None:
        raise RuntimeError(f"The manage link offers no form: {page.status_code}")
    return {"slot_id": slot, "csrf": csrf[1], "from": expected[1]}


def _event_start(http: httpx.Client, url: str) -> str:
    found = re.search(r"DTSTART[^:]*:(\S+)", http.get(url).text)
    return found[1] if found else ""


def _customer_reschedules(
    app: InviteOnce, moves: list[tuple[int, str, str]], password: str, results: list[float]
) -> None:
    """For each (meeting, manage link, new start): POST the reschedule, wait for the event."""
    with httpx.Client(auth=("olivia", password)) as radicale, httpx.Client() as browser:
        for number, (meeting_id, manage_url, start) in enumerate(moves):
            # Each reschedule comes from another customer's address, as behind a proxy.
            browser.headers["x-forwarded-for"] = f"10.2.0.{number + 1}"
            form = _manage_form(browser, manage_url, start)
            with app.workspace.session() as session:
                ref = Meetings(session).event_ref(meeting_id)
            if ref is None:
                raise RuntimeError("The booked meeting has no event yet.")
            wanted = start.replace("-", "").replace(":", "").replace("+0000", "Z")
            began = time.perf_counter()
            answer = browser.post(f"{manage_url}/reschedule", data=form)
            if answer.status_code != 303:
                raise RuntimeError(f"The reschedule was refused: {answer.status_code}")
            while _event_start(radicale, ref.provider_id) != wanted:
                if time.perf_counter() - began > TIMEOUT_SECONDS:
                    raise RuntimeError("The event never moved in the calendar.")
                time.sleep(POLL_SECONDS * 2)
            results.append((time.perf_counter() - began) * 1000)


async def reschedules(app: InviteOnce, radicale_url: str, password: str) -> dict[str, float]:
    """Each customer's reschedule POST until Radicale's event has moved, with sync running."""
    from inviteonce_desktop.application.sign_ins import CalDavSignIn
    from inviteonce_desktop.core.invitation import CalendarChoice

    sign_in = CalDavSignIn(radicale_url, "olivia", password, "olivia@example.com")
    account = await app.connect_calendar(sign_in)
    app.set_default_calendar(CalendarChoice(account.id, f"{radicale_url}olivia/bench/"))
    await app.relay.start_async()
    created = [await app.create_invitation(draft(app, n)) for n in range(RESCHEDULES)]
    slots = await app.list_slots(slot_request(created[0].invitation))
    base = app.relay.client()._http.base_url
    sync = asyncio.create_task(app.sync.run_forever(lambda meeting: None, lambda online: None))
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            for n, c in enumerate(created):
                answer = await http.post(
                    f"/api/v1/i/{c.invitation.token}/book",
                    json={"start": slots[40 + n * 3].start.isoformat()},
                    headers={"x-forwarded-for": f"10.1.0.{n + 1}"},
                )
                if answer.status_code != 201:
                    raise RuntimeError(f"The booking was refused: {answer.text}")
        while not all(_has_event(app, c.invitation.id or 0) for c in created):
            await asyncio.sleep(0.05)
        moves = []
        for n, c in enumerate(created):
            with app.workspace.session() as session:
                meeting = Meetings(session).for_invitation(c.invitation.id or 0)
            assert meeting is not None and meeting.id is not None and meeting.manage_url
            new = slots[41 + n * 3].start.strftime("%Y-%m-%dT%H:%M:%S+0000")
            moves.append((meeting.id, meeting.manage_url, new))
        results: list[float] = []
        thread = threading.Thread(
            target=_customer_reschedules, args=(app, moves, password, results)
        )
        thread.start()
        while thread.is_alive():
            await asyncio.sleep(0.05)
    finally:
        sync.cancel()
        await asyncio.gather(sync, return_exceptions=True)
        await app.close_calendars()
    if len(results) != RESCHEDULES:
        raise RuntimeError("Not every reschedule reached the calendar.")
    return {
        "reschedule_to_calendar_p50_ms": round(statistics.median(results), 1),
        "reschedule_to_calendar_p95_ms": round(percentile(results, 0.95), 1),
    }


def _has_event(app: InviteOnce, invitation_id: int) -> bool:
    with app.workspace.session() as session:
        meeting = Meetings(session).for_invitation(invitation_id)
        return meeting is not None and Meetings(session).event_ref(meeting.id or 0) is not None


def reschedule_figures(port: int) -> dict[str, float]:
    """The reschedule phase in a workspace of its own, its calendar on a real Radicale."""
    import caldav

    sys.path.insert(0, str(REPO))
    from tests.integration.calendars.fakes.radicale import radicale_server

    password = "olivia-app-password"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "radicale").mkdir()
        with radicale_server(root / "radicale", {"olivia": password}) as radicale:
            with caldav.DAVClient(radicale.url, username="olivia", password=password) as dav:
                dav.principal().make_calendar(name="bench", cal_id="bench")  # type: ignore[no-untyped-call]
            app = InviteOnce.open(root / "workspace")
            try:
                app.set_profile("Olivia Organizer", "olivia@example.com", "Europe/Berlin")
                app.add_member("Maria Keller", "maria@example.com")
                app.add_member("Tom Berg", "tom@example.com")
                app.mail.configure(MailSettings("smtp", "127.0.0.1", port, Security.NONE))
                return asyncio.run(reschedules(app, radicale.url, password))
            finally:
                app.close()


def main() -> None:
    if sys.argv[1:] == ["--reschedule-only"]:
        keyring.set_keyring(MemoryKeyring())
        sink = Sink()
        port = free_port()
        smtp = Controller(sink, hostname="127.0.0.1", port=port)
        smtp.start()
        try:
            print(json.dumps(reschedule_figures(port)))
        finally:
            smtp.stop()
        return
    kills = killed_loop()
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
        try:
            figures.update(reschedule_figures(port))
        finally:
            smtp.stop()
    print(json.dumps({**figures, **kills}))


if __name__ == "__main__":
    main()
