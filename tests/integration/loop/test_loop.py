"""The invitation loop with real parts on loopback, and how it survives faults.

A standalone ``inviteonce-relay``, an SMTP server and Radicale; the customer
books through the relay's JSON twin of the booking form.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from inviteonce_desktop.application.invitations import CreatedInvitation
from inviteonce_desktop.application.relay_host import RelaySettings
from inviteonce_desktop.cli.commands import run
from inviteonce_desktop.core.errors import NoAvailableSlots, ValidationError
from inviteonce_desktop.core.hours import TimeRange, Weekday, WeeklyHours
from inviteonce_desktop.core.invitation import InvitationStatus, SendMode
from inviteonce_desktop.core.meeting import MeetingStatus
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings as RelayServerSettings
from inviteonce_desktop.store.calendar_data import LocalEvents

from .parts import (
    Desktop,
    FaultyProxy,
    RadicaleCalendar,
    free_port,
    invitation,
    slots_bookable_later,
    use_calendar,
)

pytestmark = pytest.mark.slow


def book(desktop: Desktop, created: CreatedInvitation, index: int = 0) -> httpx.Response:
    """The customer books the *index*-th available slot through the relay's JSON twin."""
    slots = slots_bookable_later(desktop, created.invitation)
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
    return asyncio.run(desktop.app.create_invitation(draft))


def sync(desktop: Desktop) -> None:
    asyncio.run(desktop.app.sync.run_once())


def test_booking_through_radicale_happens_once(
    desktop: Desktop, radicale_calendar: RadicaleCalendar
) -> None:
    use_calendar(desktop.app, radicale_calendar.server.url, radicale_calendar)
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
    assert entry.links.url
    assert entry.last_error is not None and "mail server" in entry.last_error
    assert desktop.mailbox.messages == []

    desktop.use_mail_port(desktop.mailbox.port)
    sync(desktop)
    sync(desktop)

    (message,) = desktop.mailbox.messages
    assert entry.links.url in plain_text(message)
    assert desktop.app.invitations.list()[0].last_error is None


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
    desktop: Desktop,
    radicale_calendar: RadicaleCalendar,
    faulty_proxy: FaultyProxy,
    capsys: pytest.CaptureFixture[str],
) -> None:
    faulty_proxy.failing = False
    use_calendar(desktop.app, faulty_proxy.url, radicale_calendar)
    faulty_proxy.failing = True
    created = create(desktop)
    assert book(desktop, created).status_code == 201

    sync(desktop)
    (meeting,) = desktop.app.meetings()
    assert meeting.status == MeetingStatus.BOOKED
    assert faulty_proxy.refused > 0 and radicale_calendar.events() == []
    problems = desktop.app.calendar_problems()
    assert list(problems) == [meeting.id] and problems[meeting.id or 0]
    code = run(["meetings"])
    shown = capsys.readouterr().out
    assert code == 0 and f"booked (calendar waiting: {problems[meeting.id or 0]})" in shown

    faulty_proxy.failing = False
    sync(desktop)
    sync(desktop)

    (meeting,) = desktop.app.meetings()
    assert meeting.status == MeetingStatus.CONFIRMED
    assert desktop.app.calendar_problems() == {}
    assert [str(e["UID"]) for e in radicale_calendar.events()] == [meeting.event_uid]


def test_cancel_withdraws_the_link(desktop: Desktop) -> None:
    created = create(desktop)
    url = created.links.url
    assert url and httpx.get(url).status_code == 200

    assert created.invitation.id is not None
    asyncio.run(desktop.app.cancel_invitation(created.invitation.id))

    page = httpx.get(url)
    assert page.status_code == 410 and "cancelled" in page.text
    assert book(desktop, created).status_code == 410
    (entry,) = desktop.app.invitations.list()
    assert entry.invitation.status == InvitationStatus.CANCELLED


def test_resend_sends_a_second_email_with_a_new_message_id(desktop: Desktop) -> None:
    created = create(desktop)
    assert created.invitation.id is not None

    asyncio.run(desktop.app.resend_invitation(created.invitation.id))
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

    assert "is already over; choose later dates" in str(refused.value)
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


def test_names_with_address_syntax_add_no_recipient_and_html_is_escaped(desktop: Desktop) -> None:
    create(
        desktop,
        name='Eve, "Mallory" <eve@evil.example>; Bcc: eve@evil.example',
        subject="Offer <script>alert(1)</script> & <b>more</b>, Bcc: eve@evil.example",
    )

    (message,) = desktop.mailbox.messages
    assert desktop.mailbox.recipients == [["carla@example.org"]]
    assert [a.addr_spec for a in message["To"].addresses] == ["carla@example.org"]
    assert message["Bcc"] is None and message["Cc"] is None
    part = message.get_body(("html",))
    assert part is not None
    html = str(part.get_content())
    assert "<script>" not in html and "<b>more</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" in plain_text(message)


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


def test_expired_invitation_link_says_so(desktop: Desktop, tmp_path: Path) -> None:
    """The relay here runs in this process on a clock the test moves, like the desktop's.

    Its page cache is off: it keeps rendered pages by real time, which does not move here.
    """
    relay_now = [time.time()]
    relay = EmbeddedRelay(
        f"sqlite:///{tmp_path / 'relay.sqlite3'}",
        settings=RelayServerSettings(page_cache_seconds=0),
        clock=lambda: relay_now[0],
    )
    relay.start()
    try:
        desktop.app.relay.configure(
            RelaySettings(embedded=False, url=relay.base_url),
            api_key=relay.create_organizer("desktop"),
        )
        today = desktop.clock.now().date()
        frame = TimeFrame("UTC", every_day(), start_date=today, end_date=today + timedelta(days=1))
        created = create(desktop, time_frame=frame)
        assert created.links.url and httpx.get(created.links.url).status_code == 200
        expires_at = created.invitation.expires_at
        assert expires_at is not None

        desktop.clock.at = expires_at
        relay_now[0] = expires_at.timestamp() + 1
        (entry,) = desktop.app.invitations.list()
        page = httpx.get(created.links.url)
    finally:
        relay.stop()

    assert entry.invitation.status == InvitationStatus.EXPIRED
    assert page.status_code == 410 and "expired" in page.text


def test_a_publish_refused_for_want_of_slots_is_tried_again_by_send(desktop: Desktop) -> None:
    app = desktop.app
    desktop.use_relay(f"http://127.0.0.1:{free_port()}")
    created = create(desktop)
    assert created.queued and created.invitation.id is not None
    now = desktop.clock.now()
    for member in desktop.members:
        app.add_busy(member.id or 0, now - timedelta(days=1), now + timedelta(days=30))
    desktop.use_relay(desktop.relay.url)
    sync(desktop)
    (entry,) = app.invitations.list()
    assert entry.invitation.status == InvitationStatus.DRAFT
    assert entry.last_error == "The invitation has no available time slots anymore."

    busy = [
        event.uid
        for member in desktop.members
        for event in app.busy(member.id or 0, now - timedelta(days=2), now + timedelta(days=31))
    ]
    with app.workspace.session() as session:
        for uid in busy:
            LocalEvents(session).cancel(uid)

    sent = asyncio.run(app.send_draft(created.invitation.id))

    assert not sent.queued and not sent.publish_failed
    assert sent.invitation.status == InvitationStatus.PENDING and sent.links.url
    assert len(desktop.mailbox.messages) == 1
