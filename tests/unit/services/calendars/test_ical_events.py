from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar

from inviteonce_desktop.core.invitation import Visibility
from inviteonce_desktop.services.calendars.base import Attendee, AttendeeRole, EventRequest
from inviteonce_desktop.services.calendars.ical_events import (
    busy_from_events,
    busy_from_freebusy,
    event_calendar,
)

TOKYO = ZoneInfo("Asia/Tokyo")


def _event(**extra: object) -> EventRequest:
    return EventRequest(
        uid="inv-1@inviteonce",
        title="Demo",
        time_zone="America/New_York",
        start=datetime(2025, 3, 10, 14, tzinfo=UTC),
        end=datetime(2025, 3, 10, 15, tzinfo=UTC),
        attendees=(
            Attendee("c@example.org", "Customer"),
            Attendee("room@example.com", "Room", AttendeeRole.RESOURCE),
        ),
        organizer_email="o@example.com",
        visibility=Visibility.PRIVATE,
        **extra,  # type: ignore[arg-type]
    )


def test_written_events_carry_zone_attendees_and_visibility() -> None:
    parsed = icalendar.Calendar.from_ical(event_calendar(_event(), sequence=2))
    vevent = parsed.walk("VEVENT")[0]
    assert vevent["dtstart"].params["TZID"] == "America/New_York"
    assert vevent["dtstart"].dt == datetime(2025, 3, 10, 10, tzinfo=ZoneInfo("America/New_York"))
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["America/New_York"]
    room = [a for a in vevent["attendee"] if a.params["CUTYPE"] == "ROOM"][0]
    assert room.params["ROLE"] == "NON-PARTICIPANT"
    assert vevent["class"] == "PRIVATE" and vevent["sequence"] == 2


def test_no_updates_means_no_server_scheduling() -> None:
    vevent = icalendar.Calendar.from_ical(event_calendar(_event(send_updates=False))).walk(
        "VEVENT"
    )[0]
    assert all(a.params["SCHEDULE-AGENT"] == "NONE" for a in vevent["attendee"])


def _calendar(body: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + body + "END:VCALENDAR\r\n"
    )


def test_all_day_and_floating_events_are_read_in_the_calendar_zone() -> None:
    calendar = _calendar(
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:20250310\r\n"
        "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20250101T000000Z\r\n"
        "DTSTART:20250311T090000\r\nDURATION:PT30M\r\nEND:VEVENT\r\n"
    )
    spans = busy_from_events(
        [calendar],
        datetime(2025, 3, 1, tzinfo=UTC),
        datetime(2025, 3, 20, tzinfo=UTC),
        TOKYO,
        frozenset(),
    )
    assert sorted(spans) == [
        (datetime(2025, 3, 10, tzinfo=TOKYO), datetime(2025, 3, 11, tzinfo=TOKYO)),
        (datetime(2025, 3, 11, 9, tzinfo=TOKYO), datetime(2025, 3, 11, 9, 30, tzinfo=TOKYO)),
    ]


def test_declined_cancelled_and_transparent_events_are_free() -> None:
    calendar = _calendar(
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250310T090000Z\r\n"
        "DTEND:20250310T100000Z\r\nATTENDEE;PARTSTAT=DECLINED:mailto:Me@Example.com\r\n"
        "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20250101T000000Z\r\n"
        "DTSTART:20250310T110000Z\r\nDTEND:20250310T120000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250310T130000Z\r\n"
        "DTEND:20250310T140000Z\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250310T150000Z\r\n"
        "DTEND:20250310T160000Z\r\nATTENDEE;PARTSTAT=DECLINED:mailto:other@example.com\r\n"
        "END:VEVENT\r\n"
    )
    spans = busy_from_events(
        [calendar],
        datetime(2025, 3, 10, tzinfo=UTC),
        datetime(2025, 3, 11, tzinfo=UTC),
        UTC,
        frozenset({"me@example.com"}),
    )
    assert spans == [(datetime(2025, 3, 10, 15, tzinfo=UTC), datetime(2025, 3, 10, 16, tzinfo=UTC))]


def test_free_busy_report_periods_skip_free_time() -> None:
    calendar = _calendar(
        "BEGIN:VFREEBUSY\r\nDTSTART:20250310T000000Z\r\nDTEND:20250311T000000Z\r\n"
        "FREEBUSY;FBTYPE=BUSY:20250310T090000Z/20250310T100000Z,20250310T120000Z/PT30M\r\n"
        "FREEBUSY;FBTYPE=FREE:20250310T130000Z/20250310T140000Z\r\n"
        "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20250310T150000Z/20250310T160000Z\r\nEND:VFREEBUSY\r\n"
    )
    at = lambda h, m=0: datetime(2025, 3, 10, h, m, tzinfo=UTC)  # noqa: E731
    assert list(busy_from_freebusy(calendar)) == [
        (at(9), at(10)),
        (at(12), at(12, 30)),
        (at(15), at(16)),
    ]
