from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.base import (
    Attendee,
    AttendeeRole,
    EventRequest,
)

START = datetime(2026, 12, 1, 9, tzinfo=UTC)

ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:weekly@test
DTSTART;TZID=America/New_York:20261201T090000
DTEND;TZID=America/New_York:20261201T100000
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Weekly
END:VEVENT
BEGIN:VEVENT
UID:weekly@test
RECURRENCE-ID;TZID=America/New_York:20261208T090000
DTSTART;TZID=America/New_York:20261208T110000
DTEND;TZID=America/New_York:20261208T120000
SUMMARY:Weekly, moved
END:VEVENT
BEGIN:VEVENT
UID:holiday@test
DTSTART;VALUE=DATE:20261203
DTEND;VALUE=DATE:20261204
SUMMARY:Day off
END:VEVENT
BEGIN:VEVENT
UID:lunch@test
DTSTART:20261202T120000Z
DTEND:20261202T130000Z
TRANSP:TRANSPARENT
SUMMARY:Lunch
END:VEVENT
BEGIN:VEVENT
UID:gone@test
DTSTART:20261202T150000Z
DTEND:20261202T160000Z
STATUS:CANCELLED
SUMMARY:Cancelled
END:VEVENT
END:VCALENDAR
"""


def test_events_with_attendees_show_in_their_free_busy(app: InviteOnce) -> None:
    asyncio.run(_events_with_attendees(app))


async def _events_with_attendees(app: InviteOnce) -> None:
    ann = app.add_member("Ann", "ann@example.com")
    room = app.add_room("Alder")
    event = EventRequest(
        uid="meeting-1@test",
        title="Intro",
        start=START,
        end=START + timedelta(minutes=30),
        time_zone="Europe/Berlin",
        attendees=(
            Attendee("ann@example.com", "Ann"),
            Attendee(room.key, "Alder", AttendeeRole.RESOURCE),
            Attendee("carla@example.org", "Carla"),
        ),
    )
    ref = await app.local_calendar.create_event("organizer@example.com", event)
    busy = await app.local_calendar.free_busy(
        [ann.key, room.key], START, START + timedelta(hours=1)
    )
    assert busy == {
        ann.key: [Interval(START, START + timedelta(minutes=30))],
        room.key: [Interval(START, START + timedelta(minutes=30))],
    }
    await app.local_calendar.create_event("organizer@example.com", event)  # a retry
    assert len(app.busy(ann.key, START, START + timedelta(hours=1))) == 1
    await app.local_calendar.cancel_event("organizer@example.com", ref)
    after = await app.local_calendar.free_busy([ann.key], START, START + timedelta(hours=1))
    assert after == {ann.key: []}


def test_ics_import_expands_recurrences_and_skips_free_and_cancelled(
    app: InviteOnce, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    app.set_profile("Org", "org@example.com", "America/New_York")
    member = app.add_member("Bo", "bo@example.com")
    path = tmp_path / "bo.ics"
    path.write_bytes(ICS)
    result = app.import_busy("Bo", path)
    assert result.report.occurrences == 5
    new_york = ZoneInfo("America/New_York")
    busy = {
        (e.title, e.start.astimezone(new_york).strftime("%d %H:%M"), e.transparent)
        for e in app.busy(member.key, START - timedelta(days=1), START + timedelta(days=20))
    }
    assert busy == {
        ("Weekly", "01 09:00", False),
        ("Weekly, moved", "08 11:00", False),
        ("Weekly", "15 09:00", False),
        ("Day off", "03 00:00", False),
        ("Lunch", "02 07:00", True),
    }


def test_an_unreadable_ics_file_is_one_sentence(app: InviteOnce, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app.add_member("Bo", "bo@example.com")
    path = tmp_path / "broken.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\nthis is not ical\n")
    with pytest.raises(ValidationError, match="ends in the middle of its calendar"):
        app.import_busy("Bo", path)
