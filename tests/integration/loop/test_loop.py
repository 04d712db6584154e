"""The invitation loop with real parts on loopback, and how it survives faults.

A standalone ``inviteonce-relay``, an SMTP server and Radicale; the customer
books through the relay's JSON twin of the booking form.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from inviteonce_desktop.application.invitations import CreatedInvitation, slot_request
from inviteonce_desktop.core.errors import NoAvailableSlots, ValidationError
from inviteonce_desktop.core.hours import TimeRange, Weekday, WeeklyHours
from inviteonce_desktop.core.invitation import InvitationStatus, SendMode
from inviteonce_desktop.core.meeting import MeetingStatus
from inviteonce_desktop.core.timeframe import TimeFrame

from .parts import Desktop, FaultyProxy, RadicaleCalendar, free_port, invitation, use_calendar

pytestmark = pytest.mark.slow


def book(desktop: Desktop, created: CreatedInvitation, index: int = 0) -> httpx.Response:
    """The customer books the *index*-th available slot through the relay's JSON twin."""
    slots = desktop.app.list_slots_now(slot_request(created.invitation))
    token = created.invitation.token
    return httpx.post(
        f"{desktop.relay.url}/api/v1/i/{token}/book",
        json={"start": slots[index].start.isoformat(), "time_zone": "America/Chicago"},
    )


def plain_text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def create(desktop: Desktop, **options: Any) -> CreatedInvitation:
    draft = invitation(desktop, **options)
    return asyncio.run(desktop.app.invitations.create(draft))


def sync(desktop: Desktop) -> None:
    asyncio.run(desktop.app.sync.run_once())


def test_booking_through_radicale_happens_once(
    desktop: Desktop, radicale_calendar: RadicaleCalendar
) -> None:
    use_calendar(desktop.app, radicale_calendar.provider(), radicale_calendar.calendar_id)
    created = create(desktop)
    assert book(desktop, created).status_code == 201

    sync(desktop)
    sync(desktop)

    (meeting,) = desktop.app.meetings()
    assert meeting.status == MeetingStatus.CONFIRMED
    (event,) = radicale_calendar.events()
    assert str(event["UID"]) == meeting.event_uid
    attendees = {str(a).removeprefix("mailto:").lower() for a in event.get("ATTENDEE", [])}
    assert attendees == {"maria@example.com", "tom@example.com", "carla@example.org"}
    assert desktop.relay.offer_counts(desktop.organizer) == {str(created.invitation.id): 1}
    ids = desktop.mailbox.message_ids()
    assert len(ids) == len(set(ids)) == 4  # invitation, confirmation, two team members


def test_mail_server_down_sends_once_it_is_back(desktop: Desktop) -> None:
    desktop.use_mail_port(free_port())
    created = create(desktop)

    assert created.invitation.status == InvitationStatus.PENDING
    (entry,) = desktop.app.invitations.list()
    assert entry.links.url and entry.last_error is None
    assert desktop.mailbox.messages == []

    desktop.use_mail_port(desktop.mailbox.port)
    sync(desktop)
    sync(desktop)

    (message,) = desktop.mailbox.messages
    assert entry.links.url in plain_text(message)


def test_offline_draft_is_published_and_sent_once_the_relay_is_back(desktop: Desktop) -> None:
    desktop.use_relay(f"http://127.0.0.1:{free_port()}")
    created = create(desktop)

    assert created.queued and created.invitation.status == InvitationStatus.DRAFT
    (entry,) = desktop.app.invitations.list()
    assert entry.links.url is None and entry.last_error
    assert desktop.mailbox.messages == []

    desktop.use_relay(desktop.relay.url)
    sync(desktop)
    sync(desktop)

    (entry,) = desktop.app.invitations.list()
    assert entry.invitation.status == InvitationStatus.PENDING and entry.links.url
    assert entry.last_error is None
    assert desktop.relay.offer_counts(desktop.organizer) == {str(created.invitation.id): 1}
    assert len(desktop.mailbox.messages) == 1
    assert httpx.get(entry.links.url).status_code == 200


def test_calendar_answering_500_gets_the_event_once_it_recovers(
    desktop: Desktop, radicale_calendar: RadicaleCalendar, faulty_proxy: FaultyProxy
) -> None:
    provider = radicale_calendar.provider(faulty_proxy.url)
    use_calendar(desktop.app, provider, radicale_calendar.calendar_id)
    created = create(desktop)
    assert book(desktop, created).status_code == 201

    sync(desktop)
    (meeting,) = desktop.app.meetings()
    assert meeting.status == MeetingStatus.BOOKED
    assert faulty_proxy.refused > 0 and radicale_calendar.events() == []

    faulty_proxy.failing = False
    sync(desktop)
    sync(desktop)

    (meeting,) = desktop.app.meetings()
    assert meeting.status == MeetingStatus.CONFIRMED
    assert [str(e["UID"]) for e in radicale_calendar.events()] == [meeting.event_uid]


def test_cancel_withdraws_the_link(desktop: Desktop) -> None:
    created = create(desktop)
    url = created.links.url
    assert url and httpx.get(url).status_code == 200

    assert created.invitation.id is not None
    asyncio.run(desktop.app.invitations.cancel(created.invitation.id))

    page = httpx.get(url)
    assert page.status_code == 410 and "cancelled" in page.text
    assert book(desktop, created).status_code == 410
    (entry,) = desktop.app.invitations.list()
    assert entry.invitation.status == InvitationStatus.CANCELLED


def test_resend_sends_a_second_email_with_a_new_message_id(desktop: Desktop) -> None:
    created = create(desktop)
    assert created.invitation.id is not None

    asyncio.run(desktop.app.invitations.resend(created.invitation.id))
    sync(desktop)

    first, second = desktop.mailbox.messages
    assert first["Message-ID"] != second["Message-ID"]
    assert str(first["To"]) == str(second["To"]) == "Carla Customer <carla@example.org>"
    assert created.links.url and created.links.url in plain_text(second)


def test_zero_slots_refuses_and_says_why(desktop: Desktop) -> None:
    yesterday = desktop.clock.now().date() - timedelta(days=1)
    frame = TimeFrame("Europe/Berlin", start_date=yesterday, end_date=yesterday)

    with pytest.raises(NoAvailableSlots) as refused:
        create(desktop, time_frame=frame)

    assert "widen the dates or hours" in str(refused.value)
    assert desktop.app.invitations.list() == []
    assert desktop.mailbox.messages == []


def test_copy_links_mode_sends_no_email(desktop: Desktop) -> None:
    created = create(desktop, send=SendMode.LINKS)

    assert created.links.as_text() == created.links.url
    sync(desktop)
    assert desktop.mailbox.messages == []


def test_address_that_is_not_an_address_is_refused_and_nothing_saved(desktop: Desktop) -> None:
    for address in ["carla", "carla@", "carla@example.org\r\nBcc: eve@example.org", "<a@b.c>"]:
        with pytest.raises(ValidationError, match="is not an email address"):
            create(desktop, address=address)
    with pytest.raises(ValidationError, match="cannot contain line breaks"):
        create(desktop, name="Carla\r\nBcc: eve@example.org")
    with pytest.raises(ValidationError, match="cannot contain line breaks"):
        create(desktop, subject="Intro\nBcc: eve@example.org")

    assert desktop.app.invitations.list() == []
    assert desktop.mailbox.messages == []


def every_day() -> WeeklyHours:
    return WeeklyHours.uniform(list(Weekday), TimeRange.parse("00:00-24:00"))


def test_invitation_expires_at_the_end_of_its_time_frame(desktop: Desktop) -> None:
    today: date = desktop.clock.now().date()
    frame = TimeFrame("UTC", every_day(), start_date=today, end_date=today + timedelta(days=1))
    created = create(desktop, time_frame=frame)
    assert created.invitation.status == InvitationStatus.PENDING

    desktop.clock.at = created.invitation.expires_at or desktop.clock.at
    (entry,) = desktop.app.invitations.list()

    assert entry.invitation.status == InvitationStatus.EXPIRED
