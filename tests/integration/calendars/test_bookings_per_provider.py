"""A booking lands in the connected calendar, once, and the customer gets one calendar entry.

Each account is connected the way a user connects it (OAuth against the
fake's authorization server, a password for EWS, an app password for
Radicale); no test hook chooses the calendar: the organizer's default is the
connected account. The booking then goes through the real booking service
and outbox, and mail through a real SMTP server.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import caldav
import icalendar
import pytest
from aiosmtpd.controller import Controller

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.core.invitation import (
    Invitation,
    InvitationStatus,
    MeetingDetails,
    Participant,
)
from inviteonce_desktop.core.meeting import Meeting, MeetingStatus
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.services.mail import Security
from inviteonce_desktop.services.relay_client import RelayBooking
from inviteonce_desktop.store.activity import Invitations
from tests.integration.loop.parts import Mailbox, free_port

from .conftest import ExchangeServer, GoogleServer, GraphServer
from .fakes.browser import consenting_browser
from .fakes.ews import PATH as EWS_PATH
from .fakes.radicale import RadicaleServer, radicale_server

START = datetime(2026, 11, 25, 9, tzinfo=UTC)
CUSTOMER = "carla@example.org"
ROOM = "raum-ue@example.com"


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    """A Radicale of this module's own, so its calendars do not meet other modules' tests."""
    users = {"alice": "alice-app-password"}
    with radicale_server(tmp_path_factory.mktemp("radicale"), users) as server:
        yield server


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def set_up(app: InviteOnce, mailbox: Mailbox, organizer: str) -> Invitation:
    app.set_profile("Olivia Organizer", organizer, "Europe/Berlin")
    member = app.add_member("Maria Keller", "maria@example.com")
    room = app.add_room("Raum Ü", ROOM)
    app.mail.configure(MailSettings("smtp", "127.0.0.1", mailbox.port, Security.NONE))
    invitation = Invitation(
        Participant("Carla Customer", CUSTOMER),
        MeetingDetails(
            "Intro call",
            timedelta(minutes=30),
            (member.id or 0,),
            location="Raum Ü",
            room_ids=(room.id or 0,),
        ),
        TimeFrame("Europe/Berlin", rolling_days=14),
        status=InvitationStatus.PENDING,
        token="tok",
    )
    with app.workspace.session() as session:
        return Invitations(session).add(invitation, app.clock.now())


def book(app: InviteOnce, invitation: Invitation) -> Meeting:
    booking = RelayBooking(
        id=41,
        cursor=1,
        invitation_id=str(invitation.id),
        token="tok",
        start=START,
        end=START + timedelta(minutes=30),
        resource_keys=(),
        customer_time_zone="America/Chicago",
        booked_at=app.clock.now(),
    )

    async def run() -> None:
        try:
            await app.bookings.process(booking)
            await app.worker.run_due()
            await app.bookings.process(booking)  # the feed may deliver a booking twice
            await app.worker.run_due()
        finally:
            await app.calendars.aclose()

    asyncio.run(run())
    (meeting,) = app.meetings()
    assert meeting.status == MeetingStatus.CONFIRMED
    return meeting


def calendar_parts(message: EmailMessage) -> list[EmailMessage]:
    return [p for p in message.walk() if p.get_content_type() == "text/calendar"]


def confirmation(mailbox: Mailbox) -> EmailMessage:
    (message,) = [m for m in mailbox.to(CUSTOMER) if str(m["Subject"]).startswith("Confirmed")]
    return message


def test_google_the_event_is_in_google_and_googles_invitation_is_the_only_one(
    app: InviteOnce,
    google: GoogleServer,
    mailbox: Mailbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    client = tmp_path / "client_secret.json"
    client.write_text(json.dumps(google.fake.client_config(google.url)))
    calendar = google.fake.account_email
    google.fake.add_calendar(calendar)
    invitation = set_up(app, mailbox, calendar)
    asyncio.run(
        app.calendars.connect_google(
            str(client), open_browser=consenting_browser([]), api_endpoint=google.api_endpoint
        )
    )

    meeting = book(app, invitation)

    (event,) = google.fake.events[calendar].values()
    assert event["iCalUID"] == meeting.event_uid
    people = {a["email"]: a["resource"] for a in event["attendees"]}
    assert people == {"maria@example.com": False, ROOM: True, CUSTOMER: False}
    assert google.fake.invitations_sent == [("POST", event["id"])]
    assert calendar_parts(confirmation(mailbox)) == []


def test_exchange_the_item_carries_the_uid_and_exchanges_invitation_is_the_only_one(
    app: InviteOnce, exchange: ExchangeServer, mailbox: Mailbox
) -> None:
    invitation = set_up(app, mailbox, exchange.fake.mailbox)
    asyncio.run(
        app.calendars.connect_exchange(
            exchange.fake.mailbox,
            exchange.fake.user,
            exchange.fake.password,
            f"{exchange.url}{EWS_PATH}",
            "basic",
        )
    )

    meeting = book(app, invitation)

    (item,) = exchange.fake.items.values()
    assert item["UID"] == meeting.event_uid and item["send"] == "SendToAllAndSaveCopy"
    assert item["RequiredAttendees"] == ["maria@example.com", CUSTOMER]
    assert item["Resources"] == [ROOM]
    assert exchange.fake.operations.count("CreateItem") == 1
    assert calendar_parts(confirmation(mailbox)) == []


def test_microsoft_the_event_is_in_outlook_and_its_invitation_is_the_only_one(
    app: InviteOnce, graph: GraphServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(graph.certificate.cert_file))
    invitation = set_up(app, mailbox, graph.fake.account_email)
    asyncio.run(
        app.calendars.connect_microsoft(
            graph.fake.client_id,
            open_browser=consenting_browser([], str(graph.certificate.cert_file)),
            tenant=graph.fake.authority(),
            graph_url=f"{graph.graph_url}/v1.0",
        )
    )

    book(app, invitation)

    (event,) = graph.fake.events.values()
    addresses = {a["emailAddress"]["address"]: a["type"] for a in event["attendees"]}
    assert addresses == {"maria@example.com": "required", ROOM: "resource", CUSTOMER: "required"}
    assert calendar_parts(confirmation(mailbox)) == []


def test_caldav_the_event_is_in_radicale_and_the_confirmation_is_the_one_request(
    app: InviteOnce, radicale: RadicaleServer, mailbox: Mailbox
) -> None:
    invitation = set_up(app, mailbox, "alice@example.com")
    with caldav.DAVClient(radicale.url, username="alice", password="alice-app-password") as dav:
        principal = dav.principal()  # type: ignore[no-untyped-call]
        if not principal.calendars():
            principal.make_calendar(name="work", cal_id="work")
    account = asyncio.run(
        app.calendars.connect_caldav(
            radicale.url, "alice", "alice-app-password", "alice@example.com"
        )
    )
    calendar_url = account.settings.calendar

    meeting = book(app, invitation)

    with caldav.DAVClient(radicale.url, username="alice", password="alice-app-password") as dav:
        stored = [
            component
            for item in caldav.Calendar(client=dav, url=calendar_url).events()
            for component in icalendar.Calendar.from_ical(item.data).walk("VEVENT")
            if str(component["UID"]) == meeting.event_uid
        ]
    assert len(stored) == 1
    (part,) = calendar_parts(confirmation(mailbox))
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    sent = icalendar.Calendar.from_ical(part.get_content())
    (event,) = sent.walk("VEVENT")
    assert str(event["UID"]) == meeting.event_uid
    assert str(event["LOCATION"]) == "Raum Ü"
