"""The whole invitation loop: the email, Chromium on the relay's page, the calendar, the .ics.

The relay is the standalone ``inviteonce-relay`` in a subprocess; mail goes to
aiosmtpd; the meeting's event goes to the local calendar or to Radicale.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from email.message import EmailMessage
from typing import Any, TypeVar

import icalendar
import pytest
from playwright.sync_api import expect

from inviteonce_desktop.core.invitation import Notifications
from inviteonce_desktop.core.meeting import MeetingStatus
from tests.e2e.browser_pages import BrowserPages
from tests.integration.loop.parts import (
    Desktop,
    RadicaleCalendar,
    clock,
    desktop,
    invitation,
    local_event,
    mailbox,
    radicale_calendar,
    slots_bookable_later,
    use_calendar,
)

__all__ = ["clock", "desktop", "mailbox", "radicale_calendar"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

T = TypeVar("T")

SUBJECT = 'Kitchen <b>plan</b> & "Co"'
CUSTOMER = "Carla <i>O'Neil</i>"


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run *coroutine* on an event loop of its own thread (Playwright holds this one's)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def html_part(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def calendar_part(message: EmailMessage) -> icalendar.Calendar:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return icalendar.Calendar.from_ical(payload)


def attendee_addresses(event: icalendar.cal.Component) -> set[str]:
    found = event.get("ATTENDEE", [])
    found = found if isinstance(found, list) else [found]
    return {str(a).lower().removeprefix("mailto:") for a in found}


@pytest.mark.parametrize("calendar", ["local", "radicale"])
def test_customer_books_from_the_email_and_the_meeting_lands_everywhere(
    calendar: str, desktop: Desktop, browser_pages: BrowserPages, request: pytest.FixtureRequest
) -> None:
    app = desktop.app
    radicale_store: RadicaleCalendar | None = None
    if calendar == "radicale":
        radicale_store = request.getfixturevalue("radicale_calendar")
        use_calendar(app, radicale_store.server.url, radicale_store)
    draft = invitation(desktop, name=CUSTOMER, subject=SUBJECT)
    promoted = app.invitations.suggest_promoted(
        slots_bookable_later(desktop, draft), 2, "Europe/Berlin"
    )
    draft = replace(
        draft, notifications=Notifications(promoted_slots=tuple(s.start for s in promoted))
    )
    created = run(app.create_invitation(draft))

    (sent,) = desktop.mailbox.messages
    # A long subject may be folded right after "Subject:"; unfolding leaves a space.
    assert str(sent["Subject"]).strip() == f"Olivia Organizer invites you to pick a time: {SUBJECT}"
    assert str(sent["To"]).endswith("<carla@example.org>")
    html = html_part(sent)
    assert "<b>plan</b>" not in html and "<i>O" not in html
    assert "Kitchen &lt;b&gt;plan&lt;/b&gt; &amp;" in html
    links = re.findall(r'href="([^"]+/slot/[^"]+)"', html)
    assert len(links) == 2

    page = browser_pages.page(timezone_id="America/Chicago")
    page.goto(links[0])
    expect(page.locator("body")).to_contain_text("Kitchen <b>plan</b>")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()

    run(app.sync.run_once())
    run(app.sync.run_once())

    (meeting,) = app.meetings()
    assert meeting.status == MeetingStatus.CONFIRMED
    assert meeting.start == promoted[0].start
    team = {"maria@example.com", "tom@example.com"}
    if radicale_store is not None:
        (event,) = radicale_store.events()
        assert str(event["UID"]) == meeting.event_uid
        assert attendee_addresses(event) == team | {"carla@example.org"}
    else:
        stored = local_event(app, meeting.event_uid)
        assert stored is not None and stored.start == meeting.start
        ids = {a.calendar_id for a in stored.attendees if a.role != "organizer"}
        assert ids == {f"member:{m.id}" for m in desktop.members} | {"carla@example.org"}

    (confirmation,) = [m for m in desktop.mailbox.to("carla@example.org") if m is not sent]
    ics = calendar_part(confirmation)
    assert str(ics["METHOD"]) == "REQUEST"
    (ics_event,) = ics.walk("VEVENT")
    assert str(ics_event["UID"]) == meeting.event_uid
    assert "carla@example.org" in attendee_addresses(ics_event)
    assert "<b>plan</b>" not in html_part(confirmation)
    message_ids = desktop.mailbox.message_ids()
    assert len(message_ids) == len(set(message_ids)) == 4
    (entry,) = app.invitations.list()
    assert entry.invitation.status.value == "scheduled"
    kinds = [e.kind.value for e in app.invitations.history(entry.invitation.id or 0)]
    assert kinds[:4] == ["published", "emailed", "opened", "booked"]
    assert kinds.count("opened") == 1 and "confirmation sent" in kinds
    assert created.links.url
