"""The organizer chooses which calendar of a Google or Microsoft 365 account gets the meetings.

The account is connected the way a user connects it, the calendar chosen by
its name from the account's own list (calendarList, /me/calendars), and the
booking goes through the booking service and outbox; the fakes record which
calendar each event was written to. Busy time is still read per person.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from inviteonce_desktop.application.calendars import CollectionChoice
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.services.calendars.base import Attendee, EventRef, EventRequest
from inviteonce_desktop.services.calendars.errors import CalendarRejected
from inviteonce_desktop.store.activity import Invitations
from tests.cli_runner import run_inviteonce
from tests.integration.loop.parts import Mailbox

from .conftest import ExchangeServer, GoogleServer, GraphServer
from .fakes.browser import consenting_browser
from .fakes.ews import PATH as EWS_PATH
from .test_bookings_per_provider import START, book, mailbox, set_up

__all__ = ["mailbox"]  # the fixture, used by name

BOOKINGS = "c_7f3a9e@group.calendar.google.com"
HOLIDAYS = "en.german#holiday@group.v.calendar.google.com"
GRAPH_BOOKINGS = "AAMkAGI2TGuLAAA=Bookings"


def connect_google(app: InviteOnce, google: GoogleServer, tmp_path: Path) -> int:
    client = tmp_path / "client_secret.json"
    client.write_text(json.dumps(google.fake.client_config(google.url)))
    account = asyncio.run(
        app.calendars.connect_google(
            str(client), open_browser=consenting_browser([]), api_endpoint=google.api_endpoint
        )
    )
    return account.id


@pytest.fixture
def google_calendars(google: GoogleServer, monkeypatch: pytest.MonkeyPatch) -> GoogleServer:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    google.fake.add_calendar(google.fake.account_email)
    google.fake.add_calendar(BOOKINGS, "Bookings")
    google.fake.add_calendar(HOLIDAYS, "Holidays in Germany", access_role="reader")
    return google


def test_google_the_booking_lands_in_the_chosen_calendar(
    app: InviteOnce, google_calendars: GoogleServer, mailbox: Mailbox, tmp_path: Path
) -> None:
    fake = google_calendars.fake
    invitation = set_up(app, mailbox, fake.account_email)
    account_id = connect_google(app, google_calendars, tmp_path)

    choices = asyncio.run(app.calendar_choices(account_id))
    assert [(c.name, c.url, c.holds_events, c.current) for c in choices] == [
        (fake.account_email, fake.account_email, True, True),
        ("Bookings", BOOKINGS, True, False),
        ("Holidays in Germany", HOLIDAYS, False, False),
    ]
    with pytest.raises(ValidationError, match="cannot hold events"):
        asyncio.run(app.choose_calendar(account_id, "holidays in germany"))
    chosen = asyncio.run(app.choose_calendar(account_id, "bookings"))
    assert (chosen.name, chosen.url) == ("Bookings", BOOKINGS)
    assert app.calendar_account(account_id).settings.event_calendar == BOOKINGS

    meeting = book(app, invitation)

    (event,) = fake.events[BOOKINGS].values()
    assert event["iCalUID"] == meeting.event_uid
    assert fake.events[fake.account_email] == {}
    assert [w[:2] for w in fake.written] == [("POST", BOOKINGS)]
    # The UID lookup before the insert asked the chosen calendar too.
    assert ("GET", f"calendars/{BOOKINGS}/events") in fake.requests
    # Busy time is read per person, as before.
    asked = {item["id"] for body in fake.freebusy_bodies for item in body["items"]}
    assert BOOKINGS not in asked


def test_google_an_invitation_names_its_calendar_by_name(
    app: InviteOnce, google_calendars: GoogleServer, mailbox: Mailbox, tmp_path: Path
) -> None:
    """``invite --calendar ACCOUNT/Bookings``: that invitation's meeting goes to Bookings,
    the account's chosen calendar (the primary one here) staying as it is."""
    fake = google_calendars.fake
    invitation = set_up(app, mailbox, fake.account_email)
    account_id = connect_google(app, google_calendars, tmp_path)
    choice = app.parse_calendar(f"{account_id}/Bookings")
    assert choice.calendar_id == "Bookings"
    event = replace(invitation.notifications.advanced.event, calendar=choice)
    advanced = replace(invitation.notifications.advanced, event=event)
    notifications = replace(invitation.notifications, advanced=advanced)
    with app.workspace.session() as session:
        Invitations(session).save(replace(invitation, notifications=notifications), app.clock.now())

    book(app, invitation)

    assert [w[:2] for w in fake.written] == [("POST", BOOKINGS)]
    assert app.calendar_account(account_id).settings.event_calendar == ""
    with pytest.raises(ValidationError, match="no calendar 'Travel'"):
        asyncio.run(app.calendars.calendar_for(account_id, "Travel"))


def test_google_refuses_an_event_in_a_calendar_it_does_not_have(
    google_calendars: GoogleServer,
) -> None:
    provider = google_calendars.provider()
    event = EventRequest(
        "inviteonce-x",
        "Call",
        START,
        START + timedelta(minutes=30),
        "Europe/Berlin",
        attendees=(Attendee("c@example.org", "C"),),
    )

    async def run() -> None:
        with pytest.raises(CalendarRejected) as refused:
            await provider.create_event("gone@group.calendar.google.com", event)
        assert refused.value.status == 404

    asyncio.run(run())


def test_the_cli_chooses_a_google_calendar_by_name(
    app: InviteOnce,
    google_calendars: GoogleServer,
    mailbox: Mailbox,
    tmp_path: Path,
    isolated_home: Path,
) -> None:
    set_up(app, mailbox, google_calendars.fake.account_email)
    account_id = connect_google(app, google_calendars, tmp_path)

    listed = run_inviteonce(isolated_home, "calendars", "choose", str(account_id), "--json")
    assert listed.returncode == 0, listed.stderr
    assert [c["name"] for c in json.loads(listed.stdout)] == [
        google_calendars.fake.account_email,
        "Bookings",
        "Holidays in Germany",
    ]
    chose = run_inviteonce(isolated_home, "calendars", "choose", str(account_id), "Bookings")
    assert chose.returncode == 0, chose.stderr
    assert "now writes meetings to the calendar 'Bookings'" in chose.stdout
    assert app.calendar_account(account_id).settings.event_calendar == BOOKINGS
    unknown = run_inviteonce(isolated_home, "calendars", "choose", str(account_id), "Travel")
    assert unknown.returncode != 0
    assert "no calendar 'Travel'" in unknown.stderr and "Traceback" not in unknown.stderr


def test_microsoft_the_booking_lands_in_the_chosen_calendar(
    app: InviteOnce, graph: GraphServer, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(graph.certificate.cert_file))
    fake = graph.fake
    fake.add_calendar(GRAPH_BOOKINGS, "Bookings")
    fake.add_calendar("AAMkAGI2TGuLAAA=Shared", "Anna's calendar", can_edit=False)
    invitation = set_up(app, mailbox, fake.account_email)
    account = asyncio.run(
        app.calendars.connect_microsoft(
            fake.client_id,
            open_browser=consenting_browser([], str(graph.certificate.cert_file)),
            tenant=fake.authority(),
            graph_url=f"{graph.graph_url}/v1.0",
        )
    )

    async def choose() -> list[CollectionChoice]:
        try:
            choices = await app.calendar_choices(account.id)
            await app.choose_calendar(account.id, "Bookings")
            return choices
        finally:
            await app.calendars.aclose()

    choices = asyncio.run(choose())
    assert [(c.name, c.holds_events, c.current) for c in choices] == [
        ("Calendar", True, True),
        ("Bookings", True, False),
        ("Anna's calendar", False, False),
    ]

    book(app, invitation)

    (event_id,) = fake.events
    assert fake.calendar_of(event_id) == GRAPH_BOOKINGS
    assert ("POST", f"me/calendars/{GRAPH_BOOKINGS}/events") in fake.requests
    assert ("POST", "me/calendar/getSchedule") in fake.requests


def test_microsoft_updates_and_cancels_in_the_chosen_calendar(graph: GraphServer) -> None:
    graph.fake.add_calendar(GRAPH_BOOKINGS, "Bookings")
    provider = graph.provider()
    event = EventRequest(
        "inviteonce-y",
        "Call",
        START,
        START + timedelta(minutes=30),
        "Europe/Berlin",
        attendees=(Attendee("c@example.org", "C"),),
    )

    async def run() -> None:
        ref = await provider.create_event(GRAPH_BOOKINGS, event)
        assert graph.fake.calendar_of(ref.provider_id) == GRAPH_BOOKINGS
        moved = EventRequest(
            event.uid,
            "Call",
            START + timedelta(hours=1),
            START + timedelta(hours=2),
            "Europe/Berlin",
            attendees=event.attendees,
        )
        await provider.update_event(GRAPH_BOOKINGS, ref, moved)
        await provider.cancel_event(GRAPH_BOOKINGS, ref)
        assert graph.fake.events[ref.provider_id]["isCancelled"] is True
        wrong = EventRef(ref.uid, "AAMkUnknown", ref.provider_id)
        with pytest.raises(CalendarRejected) as refused:
            await provider.update_event("AAMkUnknown", wrong, moved)
        assert refused.value.status == 404
        await provider.aclose()

    asyncio.run(run())
    paths = [path for method, path in graph.fake.requests if method in ("PATCH", "POST")]
    assert all(p.startswith("me/calendars/") for p in paths)


def test_exchange_says_its_meetings_go_to_the_calendar_folder(
    app: InviteOnce, exchange: ExchangeServer, isolated_home: Path
) -> None:
    account = asyncio.run(
        app.calendars.connect_exchange(
            exchange.fake.mailbox,
            exchange.fake.user,
            exchange.fake.password,
            f"{exchange.url}{EWS_PATH}",
            "basic",
        )
    )
    result = run_inviteonce(isolated_home, "calendars", "choose", str(account.id))
    assert result.returncode != 0
    assert result.stderr.strip().endswith(
        "writes meetings to the mailbox's own Calendar folder; there is nothing to choose."
    )
    assert "Traceback" not in result.stderr


def test_invite_names_a_google_calendar_by_its_name(
    app: InviteOnce,
    google_calendars: GoogleServer,
    mailbox: Mailbox,
    tmp_path: Path,
    isolated_home: Path,
) -> None:
    set_up(app, mailbox, google_calendars.fake.account_email)
    account_id = connect_google(app, google_calendars, tmp_path)
    invite = ("invite", "Dana Doe", "dana@example.org", "-s", "Demo", "-m", "Maria Keller")

    done = run_inviteonce(isolated_home, *invite, "--draft", "--calendar", f"{account_id}/bookings")
    assert done.returncode == 0, done.stderr
    with app.workspace.session() as session:
        drafts = [
            i for i in Invitations(session).list() if i.participant.email == "dana@example.org"
        ]
    (draft,) = drafts
    chosen = draft.notifications.advanced.event.calendar
    assert chosen is not None and (chosen.account_id, chosen.calendar_id) == (account_id, BOOKINGS)

    refused = run_inviteonce(
        isolated_home, *invite, "--draft", "--calendar", f"{account_id}/Travel"
    )
    assert refused.returncode != 0
    assert "no calendar 'Travel'" in refused.stderr and "Traceback" not in refused.stderr
