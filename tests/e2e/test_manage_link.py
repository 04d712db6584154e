"""The customer's manage link in Chromium: reschedule (two tabs racing for one new time,
and a reschedule racing another customer's booking of that time) and cancel, from the
confirmation email; the calendars follow."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import httpx
import pytest
from playwright.sync_api import Page, expect

from inviteonce_desktop.application.invitations import CreatedInvitation
from inviteonce_desktop.application.requests import slot_request
from inviteonce_desktop.core.invitation import SendMode
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
    use_calendar,
)

from .test_invitation_loop import html_part, run

__all__ = ["clock", "desktop", "mailbox", "radicale_calendar"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CUSTOMER = "carla@example.org"
RIVAL = "bruno@example.org"


def _booked(desktop: Desktop) -> tuple[CreatedInvitation, str]:
    """An invitation booked two days out (outside the lead time); the manage link mailed."""
    app = desktop.app
    created = run(app.create_invitation(invitation(desktop)))
    soonest = desktop.clock.now() + timedelta(days=2)
    start = next(
        s.start for s in app.list_slots_now(slot_request(created.invitation)) if s.start >= soonest
    )
    booked = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{created.invitation.token}/book",
        json={"start": start.isoformat(), "time_zone": "America/Chicago"},
    )
    assert booked.status_code == 201, booked.text
    run(app.sync.run_once())
    confirmation = _confirmation(desktop)
    found = re.search(r'href="([^"]+/m/[^"]+)">Reschedule or cancel', html_part(confirmation))
    assert found is not None
    return created, found.group(1)


def _confirmation(desktop: Desktop) -> EmailMessage:
    (message,) = [m for m in desktop.mailbox.to(CUSTOMER) if "Confirmed" in str(m["Subject"])]
    return message


def _pick_first_new_time(page: Page) -> str:
    page.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", name="Choose a new date and time")).to_be_visible()
    slot = page.locator("a.slot").first
    start = slot.get_attribute("data-start")
    assert start is not None
    slot.click()
    expect(page.get_by_role("heading", name="Move your meeting")).to_be_visible()
    return start


def test_two_tabs_reschedule_to_one_time_and_radicale_follows_once(
    desktop: Desktop, radicale_calendar: RadicaleCalendar, browser_pages: BrowserPages
) -> None:
    use_calendar(desktop.app, radicale_calendar.server.url, radicale_calendar)
    _created, manage_url = _booked(desktop)
    (meeting,) = desktop.app.meetings()
    first, second = browser_pages.tabs(2, timezone_id="America/Chicago")
    for tab in (first, second):
        tab.goto(manage_url)
        expect(tab.get_by_role("heading", name="Your meeting")).to_be_visible()
        expect(tab.locator("#tz")).to_have_value("America/Chicago")
    wanted = _pick_first_new_time(first)
    assert _pick_first_new_time(second) == wanted
    first.get_by_role("button", name="Confirm new time").click()
    expect(first.get_by_role("status")).to_contain_text("was moved")
    second.get_by_role("button", name="Confirm new time").click()
    # The second tab is told the truth: the meeting moved meanwhile, and to when.
    expect(second.get_by_role("alert")).to_contain_text("changed meanwhile")
    expect(second.get_by_role("heading", name="Your meeting")).to_be_visible()

    run(desktop.app.sync.run_once())
    run(desktop.app.sync.run_once())

    new_start = datetime.fromisoformat(wanted.replace("Z", "+00:00")).astimezone(UTC)
    (moved,) = desktop.app.meetings()
    assert moved.start == new_start and moved.status == MeetingStatus.CONFIRMED
    (event,) = radicale_calendar.events()
    assert str(event["UID"]) == meeting.event_uid
    assert event.decoded("DTSTART") == new_start and int(str(event["SEQUENCE"])) == 1
    updates = [m for m in desktop.mailbox.to(CUSTOMER) if str(m["Subject"]).startswith("Moved")]
    assert len(updates) == 1


def _submit_at(page: Page, button: str, epoch_ms: float) -> None:
    """Clicks *button* on *page* when the wall clock reaches *epoch_ms* (both pages share
    one clock: the two submits leave at the same moment)."""
    page.evaluate(
        """([name, at]) => {
            const button = [...document.querySelectorAll("button")]
                .find((b) => b.textContent.trim() === name);
            setTimeout(() => button.click(), Math.max(0, at - Date.now()));
        }""",
        [button, epoch_ms],
    )


def test_a_reschedule_racing_another_customers_booking_of_the_time(
    desktop: Desktop, radicale_calendar: RadicaleCalendar, browser_pages: BrowserPages
) -> None:
    use_calendar(desktop.app, radicale_calendar.server.url, radicale_calendar)
    _created, manage_url = _booked(desktop)
    (meeting,) = desktop.app.meetings()
    # Another customer's invitation to the same team members: the same times are offered.
    rival = run(
        desktop.app.create_invitation(
            invitation(desktop, name="Bruno Rival", address=RIVAL, send=SendMode.LINKS)
        )
    )
    assert rival.links.url is not None
    moving = browser_pages.page(timezone_id="America/Chicago")
    booking = browser_pages.page(customer="rival", timezone_id="America/Chicago")
    moving.goto(manage_url)
    wanted = _pick_first_new_time(moving)
    found = re.search(r"/reschedule/([0-9TZ]+)", moving.url)
    assert found is not None
    booking.goto(f"{rival.links.url}/slot/{found[1]}")
    expect(booking.get_by_role("button", name="Confirm booking")).to_be_visible()
    at = time.time() * 1000 + 500
    _submit_at(moving, "Confirm new time", at)
    _submit_at(booking, "Confirm booking", at)

    moved, taken = moving.get_by_role("status"), moving.get_by_role("alert")
    expect(moved.or_(taken)).to_be_visible()
    booked = booking.get_by_role("heading", name="You're booked")
    refused = booking.get_by_role("alert")
    # A held pick waits for the organizer's re-check (the desktop is quiet: 4 s).
    expect(booked.or_(refused)).to_be_visible(timeout=15_000)
    mover_won = moved.is_visible() and "was moved" in moved.inner_text()
    rival_won = booked.is_visible()
    assert mover_won != rival_won, (moving.url, booking.url)
    if mover_won:
        # The other customer is told the truth and shown the remaining times.
        expect(refused).to_contain_text("just taken")
        expect(booking.locator("a.slot").first).to_be_visible()
        expect(booking.locator(f'a.slot[data-start="{wanted}"]')).to_have_count(0)
    else:
        expect(taken).to_contain_text("just taken")
        expect(moving.get_by_role("heading", name="Choose a new date and time")).to_be_visible()
        expect(moving.locator("a.slot").first).to_be_visible()
        expect(moving.locator(f'a.slot[data-start="{wanted}"]')).to_have_count(0)
        # Its meeting still stands at the old time.
        moving.goto(manage_url)
        expect(moving.get_by_role("heading", name="Your meeting")).to_be_visible()
        expect(moving.get_by_role("link", name="Reschedule")).to_be_visible()

    run(desktop.app.sync.run_once())
    run(desktop.app.sync.run_once())

    new_start = datetime.fromisoformat(wanted.replace("Z", "+00:00")).astimezone(UTC)
    meetings = [m for m in desktop.app.meetings() if m.status == MeetingStatus.CONFIRMED]
    at_wanted = [m for m in meetings if m.start == new_start]
    assert len(at_wanted) == 1, meetings
    events = radicale_calendar.events()
    assert len([e for e in events if e.decoded("DTSTART") == new_start]) == 1
    if mover_won:
        assert [m.event_uid for m in meetings] == [meeting.event_uid]
        assert len(events) == 1
    else:
        assert {m.start for m in meetings} == {meeting.start, new_start}
        (kept,) = [e for e in events if str(e["UID"]) == meeting.event_uid]
        assert kept.decoded("DTSTART") == meeting.start and len(events) == 2


def test_cancel_from_the_link_withdraws_the_meeting(
    desktop: Desktop, browser_pages: BrowserPages
) -> None:
    _created, manage_url = _booked(desktop)
    (meeting,) = desktop.app.meetings()
    assert local_event(desktop.app, meeting.event_uid) is not None
    page = browser_pages.page(timezone_id="America/Chicago")
    page.goto(manage_url)
    page.get_by_role("link", name="Cancel meeting").click()
    expect(page.get_by_role("heading", name="Cancel this meeting?")).to_be_visible()
    page.get_by_role("button", name="Yes, cancel the meeting").click()
    expect(page.get_by_role("heading", name="This meeting is cancelled")).to_be_visible()

    run(desktop.app.sync.run_once())
    run(desktop.app.sync.run_once())

    (cancelled,) = desktop.app.meetings()
    assert cancelled.status == MeetingStatus.CANCELLED
    stored = local_event(desktop.app, meeting.event_uid)
    assert stored is None or stored.status == "cancelled"
    cancels = [m for m in desktop.mailbox.to(CUSTOMER) if str(m["Subject"]).startswith("Cancelled")]
    assert len(cancels) == 1
