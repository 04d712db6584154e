"""A booked meeting moves: each provider's event is updated in place, never inserted again.

The booking goes through the real booking service and outbox as in
test_bookings_per_provider; then the relay's feed says the meeting moved (same
UID), and the fake of each service must have seen a patch of the event it
holds (Google events.patch, Graph PATCH, EWS UpdateItem), not a second insert.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.meeting import Meeting, MeetingStatus
from inviteonce_desktop.services.relay_client import RelayBooking
from tests.integration.loop.parts import Mailbox

from .conftest import ExchangeServer, GoogleServer, GraphServer
from .fakes.browser import consenting_browser
from .fakes.ews import PATH as EWS_PATH
from .test_bookings_per_provider import CUSTOMER, START, book, calendar_parts, mailbox, set_up

__all__ = ["mailbox"]

NEW_START = START + timedelta(days=1, hours=2)


def move(app: InviteOnce, meeting: Meeting) -> Meeting:
    """The feed's entry for the customer's reschedule, delivered twice, and the outbox run."""
    moved = RelayBooking(
        id=57,
        cursor=57,
        invitation_id=str(meeting.invitation_id),
        token="tok",
        start=NEW_START,
        end=NEW_START + timedelta(minutes=30),
        resource_keys=(),
        customer_time_zone="America/Chicago",
        booked_at=app.clock.now(),
        uid=meeting.event_uid,
        change="moved",
    )

    async def run() -> None:
        try:
            for _ in range(2):
                await app.bookings.process(moved)
                await app.worker.run_due()
        finally:
            await app.calendars.aclose()

    asyncio.run(run())
    (after,) = app.meetings()
    assert after.id == meeting.id and after.start == NEW_START and after.sequence == 1
    assert after.status == MeetingStatus.CONFIRMED
    return after


def update_email(mailbox: Mailbox) -> list[object]:
    return [m for m in mailbox.to(CUSTOMER) if str(m["Subject"]).startswith("Moved")]


def test_google_patches_the_event(
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

    move(app, meeting)

    (stored,) = google.fake.events[calendar].values()
    assert stored["id"] == event["id"] and stored["iCalUID"] == meeting.event_uid
    assert stored["start"]["dateTime"].startswith("2026-11-26T12:00")
    writes = [(m, p) for m, p in google.fake.requests if m in ("POST", "PATCH", "PUT")]
    assert writes.count(("PATCH", f"calendars/{calendar}/events/{event['id']}")) == 1
    assert [p for m, p in writes if m == "POST" and p.endswith("/events")] == [
        f"calendars/{calendar}/events"
    ]
    # Google mails the attendees its own update; the email carries no second REQUEST.
    (update,) = update_email(mailbox)
    assert calendar_parts(update) == []  # type: ignore[arg-type]


def test_microsoft_patches_the_event(
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
    meeting = book(app, invitation)
    (event_id,) = graph.fake.events

    move(app, meeting)

    assert list(graph.fake.events) == [event_id]
    assert graph.fake.events[event_id]["start"]["dateTime"].startswith("2026-11-26T12:00")
    patches = [p for m, p in graph.fake.requests if m == "PATCH"]
    assert len(patches) == 1 and patches[0].endswith(f"events/{event_id}")
    creates = [p for m, p in graph.fake.requests if m == "POST" and p.endswith("events")]
    assert len(creates) == 1
    assert len(update_email(mailbox)) == 1


def test_exchange_updates_the_item(
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

    move(app, meeting)

    (item,) = exchange.fake.items.values()
    assert item["UID"] == meeting.event_uid
    assert exchange.fake.operations.count("CreateItem") == 1
    assert exchange.fake.operations.count("UpdateItem") == 1
    assert len(update_email(mailbox)) == 1
