"""Reminders through the real loop: a standalone relay, aiosmtpd, the desktop's outbox.

The desktop's clock is moved to the moments that matter (a reminder's time, a
meeting's start); the relay keeps real time, which a booking does not mind.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import httpx
import pytest

from inviteonce_desktop.application.emails import workspace_tag
from inviteonce_desktop.core.history import HistoryKind
from inviteonce_desktop.core.meeting import Meeting, MeetingChange
from inviteonce_desktop.store.activity import Meetings

from .parts import Desktop, invitation, slots_bookable_later

pytestmark = pytest.mark.slow

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def booked(desktop: Desktop, reminders: tuple[timedelta, ...]) -> datetime:
    """An invitation with *reminders*, published, emailed and booked by the customer (not yet
    seen by the desktop); the meeting's start."""
    draft = invitation(desktop)
    draft = replace(draft, notifications=replace(draft.notifications, reminders=reminders))
    created = asyncio.run(desktop.app.create_invitation(draft))
    start = slots_bookable_later(desktop, created.invitation)[0].start
    answer = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{created.invitation.token}/book",
        json={"start": start.isoformat(), "time_zone": "America/Chicago"},
    )
    assert answer.status_code == 201, answer.text
    return start


def sync_at(desktop: Desktop, at: datetime) -> None:
    desktop.clock.at = at
    asyncio.run(desktop.app.sync.run_once())


def reminders(desktop: Desktop) -> list[EmailMessage]:
    return [m for m in desktop.mailbox.messages if str(m["Subject"]).startswith("Reminder:")]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def the_meeting(desktop: Desktop) -> Meeting:
    (meeting,) = desktop.app.meetings()
    return meeting


def moved_to(meeting: Meeting, start: datetime) -> MeetingChange:
    """The change the relay's feed brings when the meeting moves to *start*."""
    return MeetingChange(
        booking_id=f"moved-{int(start.timestamp())}",
        start=start,
        end=start + (meeting.end - meeting.start),
        resource_keys=meeting.resource_keys,
        by="organizer",
    )


def test_each_reminder_goes_out_once_at_its_time_and_follows_a_moved_meeting(
    desktop: Desktop,
) -> None:
    start = booked(desktop, (24 * HOUR, HOUR))
    sync_at(desktop, start - 48 * HOUR)  # the booking arrives two days ahead
    meeting = the_meeting(desktop)
    assert len(desktop.mailbox.messages) == 4  # invitation, confirmation, two team members
    sync_at(desktop, start - 24 * HOUR - MINUTE)
    assert reminders(desktop) == []

    sync_at(desktop, start - 24 * HOUR + MINUTE)
    sync_at(desktop, start - 24 * HOUR + 2 * MINUTE)
    (first,) = reminders(desktop)
    tag = workspace_tag(desktop.app.workspace)
    stamp = int(start.timestamp())
    assert str(first["Message-ID"]) == f"<reminder.{meeting.id}.1440.{stamp}.{tag}@example.com>"
    assert str(first["To"]) == "Carla Customer <carla@example.org>"
    assert "(America/Chicago)" in text_of(first)
    assert meeting.manage_url is not None and meeting.manage_url.startswith(desktop.relay.url)
    assert f"Reschedule or cancel here: {meeting.manage_url}" in text_of(first)
    html_part = first.get_body(("html",))
    assert html_part is not None and f'href="{meeting.manage_url}"' in str(html_part.get_content())
    assert first.get_body(("html",)) is not None
    assert not [p for p in first.walk() if p.get_content_type() == "text/calendar"]

    later = start + 24 * HOUR
    with desktop.app.workspace.session() as session:
        Meetings(session).move(meeting.id or 0, moved_to(meeting, later))
    sync_at(desktop, start - HOUR + MINUTE)  # the old start's 1 h reminder sends nothing
    assert len(reminders(desktop)) == 1
    sync_at(desktop, later - 24 * HOUR + MINUTE)
    assert len(reminders(desktop)) == 2
    moved = reminders(desktop)[1]
    assert str(int(later.timestamp())) in str(moved["Message-ID"])
    chicago = later.astimezone(ZoneInfo("America/Chicago"))
    assert f"{chicago:%H:%M}" in text_of(moved)

    asyncio.run(desktop.app.cancel_invitation(meeting.invitation_id))
    sync_at(desktop, later - HOUR + MINUTE)
    sync_at(desktop, later - 5 * MINUTE)
    assert len(reminders(desktop)) == 2  # none after the cancel
    history = desktop.app.invitation_history(meeting.invitation_id)
    sent = [e.text for e in history if e.kind == HistoryKind.REMINDER]
    assert sent == [
        "Reminder (24 h before) sent to carla@example.org",
        "Reminder (24 h before) sent to carla@example.org",
    ]


def test_a_reminder_already_due_at_booking_is_not_sent(desktop: Desktop) -> None:
    start = booked(desktop, (HOUR, 10 * MINUTE))
    sync_at(desktop, start - 30 * MINUTE)  # booked half an hour before the start
    sync_at(desktop, start - 20 * MINUTE)
    assert reminders(desktop) == []
    sync_at(desktop, start - 9 * MINUTE)
    sync_at(desktop, start - 8 * MINUTE)
    (only,) = reminders(desktop)
    assert ".10." in str(only["Message-ID"])
    texts = [e.text for e in desktop.app.invitation_history(the_meeting(desktop).invitation_id)]
    assert "No reminder 1 h before: the meeting was booked later than that." in texts


def test_after_a_long_pause_only_the_closest_reminder_goes_out(desktop: Desktop) -> None:
    start = booked(desktop, (24 * HOUR, HOUR))
    sync_at(desktop, start - 48 * HOUR)
    sync_at(desktop, start - 50 * MINUTE)  # the desktop was off through the 24 h reminder
    (only,) = reminders(desktop)
    assert ".60." in str(only["Message-ID"])
    sync_at(desktop, start + MINUTE)
    assert len(reminders(desktop)) == 1


def test_a_meeting_moved_away_and_back_gets_its_reminder_once(desktop: Desktop) -> None:
    start = booked(desktop, (24 * HOUR,))
    sync_at(desktop, start - 48 * HOUR)
    meeting = the_meeting(desktop)
    later = start + 24 * HOUR
    for new_start in (later, start):
        with desktop.app.workspace.session() as session:
            Meetings(session).move(meeting.id or 0, moved_to(meeting, new_start))
        sync_at(desktop, start - 47 * HOUR)
    sync_at(desktop, start - 24 * HOUR + MINUTE)
    sync_at(desktop, later - 24 * HOUR + MINUTE)
    (only,) = reminders(desktop)
    assert f".1440.{int(start.timestamp())}." in str(only["Message-ID"])
