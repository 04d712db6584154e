"""Parts of the invitation loop on loopback: a standalone relay, SMTP, a desktop workspace.

The relay runs as ``inviteonce-relay serve`` in a subprocess, once per test session
(per xdist worker), and so does Radicale; each test gets an organizer of its own on
the relay and a calendar of its own on Radicale, so nothing one test does is seen
by another.
Mail goes to an aiosmtpd server that keeps every message it receives.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import http.client
import json
import os
import select as readiness
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import caldav
import httpx
import icalendar
import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from sqlalchemy import func, select

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.application.relay_host import RelaySettings
from inviteonce_desktop.application.requests import slot_request
from inviteonce_desktop.application.sign_ins import CalDavSignIn
from inviteonce_desktop.core.availability import Slot
from inviteonce_desktop.core.invitation import (
    CalendarChoice,
    Invitation,
    MeetingDetails,
    Notifications,
    Participant,
    SendMode,
)
from inviteonce_desktop.core.resources import TeamMember
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.relay.database import create_relay_engine, migrate
from inviteonce_desktop.relay.organizers import OrganizerDirectory
from inviteonce_desktop.relay.schema import offer_links, offers, organizers
from inviteonce_desktop.services.calendars.caldav_provider import CalDavProvider
from inviteonce_desktop.services.calendars.retry import RetryPolicy
from inviteonce_desktop.services.mail import Security
from inviteonce_desktop.store.accounts import CalendarAccount
from inviteonce_desktop.store.calendar_data import LocalEvent, LocalEvents
from tests.integration.calendars.fakes.radicale import RadicaleServer, radicale_server

from .file_keyring import FILE_VARIABLE, FileKeyring

HERE = Path(__file__).parent
_organizer_names = count(1)
_calendar_names = count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def executable(name: str) -> str:
    """A console script of this virtualenv (next to the running Python), else from PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed"
    return found


# The standalone relay


@dataclass
class StandaloneRelay:
    url: str
    database_url: str

    def add_organizer(self) -> tuple[str, str]:
        """A new organizer on this relay: its name and its key."""
        name = f"desktop-{os.getpid()}-{next(_organizer_names)}"
        engine = create_relay_engine(self.database_url, pool_size=1)
        try:
            return name, OrganizerDirectory(engine).add(name)
        finally:
            engine.dispose()

    def offer_counts(self, organizer: str) -> dict[str, int]:
        """How many offers, and links to them, this organizer has, by invitation id."""
        engine = create_relay_engine(self.database_url, pool_size=1)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    select(offers.c.invitation_id, func.count(offer_links.c.token_hash))
                    .join(organizers, organizers.c.id == offers.c.organizer_id)
                    .join(offer_links, offer_links.c.offer_id == offers.c.id)
                    .where(organizers.c.name == organizer)
                    .group_by(offers.c.invitation_id)
                ).all()
        finally:
            engine.dispose()
        return {str(invitation): int(links) for invitation, links in rows}


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=1) as probe:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("The relay exited during start-up.")
            try:
                if probe.get("/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    raise RuntimeError("The relay did not start.")


@pytest.fixture(scope="session")
def standalone_relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandaloneRelay]:
    folder = tmp_path_factory.mktemp("relay")
    database_url = f"sqlite:///{folder / 'relay.sqlite3'}"
    migrate(create_relay_engine(database_url, pool_size=1))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "INVITEONCE_RELAY_BOOKINGS_PER_MINUTE": "0"}
    command = [executable("inviteonce-relay"), "serve", "--database-url", database_url]
    command += ["--host", "127.0.0.1", "--port", str(port), "--public-url", url]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_until_healthy(url, process)
        yield StandaloneRelay(url, database_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Mail


@dataclass
class Mailbox:
    """Every message the SMTP server accepted, parsed, in arrival order."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    """Each message's envelope recipients (RCPT TO), in the same order."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802
        assert isinstance(envelope.content, bytes)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


# The desktop


@pytest.fixture
def clock() -> FixedClock:
    """Now, to the minute: the relay keeps real time, so the desktop must too."""
    return FixedClock(datetime.now(UTC).replace(second=0, microsecond=0))


@dataclass
class Desktop:
    app: InviteOnce
    clock: FixedClock
    mailbox: Mailbox
    relay: StandaloneRelay
    organizer: str
    members: list[TeamMember]

    def use_relay(self, url: str) -> None:
        self.app.relay.configure(RelaySettings(embedded=False, url=url))

    def use_mail_port(self, port: int) -> None:
        self.app.mail.configure(MailSettings("smtp", "127.0.0.1", port, Security.NONE))


@pytest.fixture
def desktop(
    app: InviteOnce, clock: FixedClock, mailbox: Mailbox, standalone_relay: StandaloneRelay
) -> Desktop:
    """A workspace with a profile, two team members, mail and the standalone relay set up."""
    app.set_profile("Olivia Organizer", "olivia@example.com", "Europe/Berlin")
    members = [
        app.add_member("Maria Keller", "maria@example.com"),
        app.add_member("Tom Berg", "tom@example.com"),
    ]
    organizer, key = standalone_relay.add_organizer()
    app.relay.configure(RelaySettings(embedded=False, url=standalone_relay.url), api_key=key)
    result = Desktop(app, clock, mailbox, standalone_relay, organizer, members)
    result.use_mail_port(mailbox.port)
    return result


@pytest.fixture
def shared_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A keyring in a file that ``inviteonce`` subprocesses read too; their environment."""
    monkeypatch.setenv(FILE_VARIABLE, str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    pythonpath = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
    yield {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
        "PYTHONPATH": pythonpath,
    }
    keyring.set_keyring(previous)


# ``inviteonce sync`` forked by a driver that has done the imports (the kill tests)

DRIVER = HERE / "sync_driver.py"
SYNC_TIMEOUT = 120.0
SYNC_FORKED = "inviteonce.sync_forked"
"""The audit event of each sync the driver forks for a test, which so starts ``inviteonce``
(tests/conftest.py notes it as it notes a launch)."""


class SyncDriver:
    """sync_driver.py, started once per session; each sync it forks runs in a test's
    environment (its workspace, its keyring file)."""

    def __init__(self) -> None:
        pythonpath = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
        env = {
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
            "PYTHONPATH": pythonpath,
        }
        self._process = subprocess.Popen(
            [sys.executable, str(DRIVER)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._buffer = b""
        assert self._line() == "ready"

    def syncs(self, env: dict[str, str]) -> Syncs:
        return Syncs(self, env)

    def run(self, env: dict[str, str], kill_after: float | None) -> tuple[str, str]:
        assert self._process.stdin is not None
        sys.audit(SYNC_FORKED)
        request = {"seconds": kill_after, "env": env}
        self._process.stdin.write(f"{json.dumps(request)}\n".encode())
        self._process.stdin.flush()
        printed = []
        while not (line := self._line()).startswith(("killed", "exited ")):
            printed.append(line)
        return line, "\n".join(printed)

    def _line(self) -> str:
        assert self._process.stdout is not None
        out = self._process.stdout.fileno()
        while b"\n" not in self._buffer:
            ready, _, _ = readiness.select([out], [], [], SYNC_TIMEOUT)
            assert ready, f"no sync ended within {SYNC_TIMEOUT} s"
            chunk = os.read(out, 65536)
            assert chunk, f"the sync driver exited ({self._process.wait()})"
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        assert self._process.wait(timeout=SYNC_TIMEOUT) == 0
        assert self._process.stdout is not None
        self._process.stdout.close()


@dataclass
class Syncs:
    """``inviteonce sync --json`` on demand, in one test's environment."""

    driver: SyncDriver
    env: dict[str, str]

    def run(self, kill_after: float | None = None) -> tuple[str, str]:
        """One sync, SIGKILLed *kill_after* s into its work: how it ended, what it printed."""
        return self.driver.run(self.env, kill_after)


@pytest.fixture(scope="session")
def sync_driver() -> Iterator[SyncDriver]:
    driver = SyncDriver()
    try:
        yield driver
    finally:
        driver.close()


def invitation(
    desktop: Desktop,
    *,
    name: str = "Carla Customer",
    address: str = "carla@example.org",
    subject: str = "Intro call",
    send: SendMode = SendMode.EMAIL,
    promoted: tuple[datetime, ...] = (),
    time_frame: TimeFrame | None = None,
) -> Invitation:
    """An invitation to meet both team members for 30 minutes in the next two weeks."""
    return Invitation(
        Participant(name, address),
        MeetingDetails(
            subject,
            timedelta(minutes=30),
            tuple(m.id or 0 for m in desktop.members),
            description="Agenda: pricing",
        ),
        time_frame or TimeFrame("Europe/Berlin", rolling_days=14),
        Notifications(send_mode=send, promoted_slots=promoted),
    )


SLOW_TEST = timedelta(minutes=15)
"""How long a test may take between its clock's start and a booking on the relay."""


def slots_bookable_later(desktop: Desktop, invitation: Invitation) -> list[Slot]:
    """The desktop's slots for *invitation* that the relay still takes a while from now.

    The desktop's clock stands still at the test's start, floored to the minute, while
    the relay keeps real time: a slot at the edge of the minimum notice would pass it
    during a slow test (as the kill tests are), and the relay would refuse its booking.
    """
    earliest = desktop.clock.now() + invitation.time_frame.minimum_notice + SLOW_TEST
    slots = desktop.app.list_slots_now(slot_request(invitation))
    return [slot for slot in slots if slot.start >= earliest]


def use_calendar(app: InviteOnce, url: str, calendar: RadicaleCalendar) -> CalendarAccount:
    """Connect olivia's CalDAV account at *url* and make *calendar* the default calendar.

    The sign-in runs on a loop of its own thread, so a test holding a loop (Playwright's)
    can call this too.
    """
    sign_in = CalDavSignIn(url, "olivia", calendar.server.users["olivia"], "olivia@example.com")
    with ThreadPoolExecutor(1) as pool:
        account = pool.submit(asyncio.run, app.connect_calendar(sign_in)).result()
    app.set_default_calendar(CalendarChoice(account.id, url + calendar.calendar_id))
    return account


# Radicale, and a proxy in front of it that can answer 500


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    folder = tmp_path_factory.mktemp("radicale")
    with radicale_server(folder, {"olivia": "olivia-app-password"}) as server:
        yield server


@dataclass
class RadicaleCalendar:
    server: RadicaleServer
    calendar_id: str

    def provider(self, url: str | None = None) -> CalDavProvider:
        return CalDavProvider(
            account_name="Radicale",
            url=url or self.server.url,
            username="olivia",
            password=self.server.users["olivia"],
            time_zone=ZoneInfo("Europe/Berlin"),
            owner_emails=("olivia@example.com",),
            timeout=5,
            retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05),
        )

    def add_busy(self, uid: str, day: date, start: str, end: str) -> None:
        """A "Dentist" event on *day* from *start* to *end* (``HHMMSS``, Berlin time),
        written with a client of its own, as another of the organizer's apps would."""
        password = self.server.users["olivia"]
        with caldav.DAVClient(self.server.url, username="olivia", password=password) as client:
            calendar = caldav.Calendar(client=client, url=self.server.url + self.calendar_id)
            calendar.save_event(
                f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:{uid}\n"
                f"DTSTART;TZID=Europe/Berlin:{day:%Y%m%d}T{start}\n"
                f"DTEND;TZID=Europe/Berlin:{day:%Y%m%d}T{end}\nSUMMARY:Dentist\n"
                "END:VEVENT\nEND:VCALENDAR\n"
            )

    def events(self) -> list[icalendar.cal.Component]:
        """Every VEVENT in the calendar, read with a client of its own."""
        password = self.server.users["olivia"]
        with caldav.DAVClient(self.server.url, username="olivia", password=password) as client:
            calendar = caldav.Calendar(client=client, url=self.server.url + self.calendar_id)
            found = []
            for item in calendar.events():
                parsed = icalendar.Calendar.from_ical(item.data)
                found += [c for c in parsed.walk("VEVENT")]
            return found


@pytest.fixture
def radicale_calendar(radicale: RadicaleServer) -> RadicaleCalendar:
    name = f"loop{next(_calendar_names)}"
    password = radicale.users["olivia"]
    with caldav.DAVClient(radicale.url, username="olivia", password=password) as client:
        principal = client.principal()  # type: ignore[no-untyped-call]
        principal.make_calendar(name=name, cal_id=name)
    return RadicaleCalendar(radicale, f"olivia/{name}/")


class FaultyProxy(ThreadingHTTPServer):
    """Forwards to *target*, or answers 500 to everything while ``failing``."""

    daemon_threads = True

    def __init__(self, target: str) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.target = urlsplit(target)
        self.failing = True
        self.refused = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _ProxyHandler(BaseHTTPRequestHandler):
    server: FaultyProxy

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.server.failing:
            self.server.refused += 1
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        target = self.server.target
        connection = http.client.HTTPConnection(target.hostname or "", target.port, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        connection.request(self.command, self.path, body, headers)
        response = connection.getresponse()
        data = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        connection.close()

    do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_OPTIONS = _forward  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


@pytest.fixture
def faulty_proxy(radicale: RadicaleServer) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(radicale.url)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(timeout=5)


def local_event(app: InviteOnce, uid: str) -> LocalEvent | None:
    """The event with *uid* as the local calendar's store has it now."""
    with app.workspace.session() as session:
        return LocalEvents(session).get(uid)
