from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.base import (
    Attendee,
    AttendeeRole,
    CalendarProvider,
    EventRequest,
    OnlineMeeting,
)
from inviteonce_desktop.services.calendars.busy import unreadable_reason
from tests.integration.calendars.conftest import GoogleServer
from tests.integration.calendars.support import run_then_close as _run
from tests.integration.calendars.support import utc as _utc

T = TypeVar("T")
ROOM = "c_1889ab@resource.calendar.google.com"
MEMBER = "dana@example.com"


def _timed(start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {"start": {"dateTime": start}, "end": {"dateTime": end}, **extra}


def test_free_busy_for_people_and_rooms_over_a_long_range(google: GoogleServer) -> None:
    fake = google.fake
    fake.add_event(MEMBER, _timed("2025-03-03T09:00:00-05:00", "2025-03-03T10:00:00-05:00"))
    fake.add_event(MEMBER, {"start": {"date": "2025-05-20"}, "end": {"date": "2025-05-21"}})
    fake.add_event(
        MEMBER, _timed("2025-03-04T09:00:00Z", "2025-03-04T10:00:00Z", transparency="transparent")
    )
    fake.add_event(
        MEMBER,
        _timed(
            "2025-03-05T09:00:00Z",
            "2025-03-05T10:00:00Z",
            attendees=[{"email": MEMBER, "responseStatus": "declined"}],
        ),
    )
    fake.add_event(ROOM, _timed("2025-04-01T12:00:00Z", "2025-04-01T13:00:00Z"))
    provider: CalendarProvider = google.provider()
    busy = _run(
        provider,
        provider.free_busy(
            [MEMBER, ROOM, "nobody@example.com"], _utc(2025, 3, 1), _utc(2025, 6, 9)
        ),
    )
    assert busy == {
        MEMBER: [
            Interval(_utc(2025, 3, 3, 14), _utc(2025, 3, 3, 15)),
            Interval(_utc(2025, 5, 19, 22), _utc(2025, 5, 20, 22)),
        ],
        ROOM: [Interval(_utc(2025, 4, 1, 12), _utc(2025, 4, 1, 13))],
    }
    reason = unreadable_reason(busy, "nobody@example.com")
    assert reason is not None and "not shared with this account" in reason
    assert len(fake.freebusy_bodies) == 2
    assert all(path == "freeBusy" for _, path in fake.requests)


def test_free_busy_groups_calendars_by_fifty(google: GoogleServer) -> None:
    members = [f"member{i}@example.com" for i in range(120)]
    for member in members:
        google.fake.add_calendar(member)
    provider = google.provider()
    busy = _run(provider, provider.free_busy(members, _utc(2025, 3, 1), _utc(2025, 3, 8)))
    assert set(busy) == set(members)
    assert sorted(len(body["items"]) for body in google.fake.freebusy_bodies) == [20, 50, 50]


def _meeting(uid: str, start: datetime, end: datetime, **extra: Any) -> EventRequest:
    return EventRequest(
        uid=uid,
        title="Product demo",
        start=start,
        end=end,
        time_zone="Europe/Berlin",
        description="Agenda",
        attendees=(
            Attendee("customer@example.org", "Customer"),
            Attendee(ROOM, "Room 1", AttendeeRole.RESOURCE),
        ),
        **extra,
    )


def test_create_with_meet_update_and_cancel(google: GoogleServer) -> None:
    calendar = "organizer@example.com"
    google.fake.add_calendar(calendar)
    provider = google.provider()
    meeting = _meeting(
        "inv-1@inviteonce",
        _utc(2025, 3, 4, 9),
        _utc(2025, 3, 4, 10),
        online_meeting=OnlineMeeting.PROVIDER,
    )

    async def run() -> None:
        ref = await provider.create_event(calendar, meeting)
        stored = google.fake.events[calendar][ref.provider_id]
        assert stored["iCalUID"] == "inv-1@inviteonce" and "id" not in _sent_body(google)
        assert ref.join_url is not None and ref.join_url.startswith("https://meet.google.com/")
        assert stored["sendUpdates"] == "all"
        assert stored["start"] == {
            "dateTime": "2025-03-04T10:00:00+01:00",
            "timeZone": "Europe/Berlin",
        }
        assert [a["resource"] for a in stored["attendees"]] == [False, True]

        again = await provider.create_event(calendar, meeting)
        assert again.provider_id == ref.provider_id
        assert len(google.fake.events[calendar]) == 1

        moved = _meeting(
            "inv-1@inviteonce", _utc(2025, 3, 5, 9), _utc(2025, 3, 5, 10), send_updates=False
        )
        await provider.update_event(calendar, ref, moved)
        assert stored["start"]["dateTime"] == "2025-03-05T10:00:00+01:00"
        assert stored["sendUpdates"] == "none"

        await provider.cancel_event(calendar, ref)
        assert stored["status"] == "cancelled"
        await provider.cancel_event(calendar, ref)
        busy = await provider.free_busy([calendar], _utc(2025, 3, 1), _utc(2025, 3, 8))
        assert busy[calendar] == []

    _run(provider, run())


def test_an_expired_token_is_refreshed_automatically(google: GoogleServer) -> None:
    google.fake.add_calendar(MEMBER)
    credentials = google.credentials(valid=False)
    provider = google.provider(credentials=credentials)
    busy = _run(provider, provider.free_busy([MEMBER], _utc(2025, 3, 1), _utc(2025, 3, 2)))
    assert busy == {MEMBER: []}
    assert credentials.token in google.fake.tokens.access


def test_a_token_rejected_by_the_api_is_refreshed_and_retried(google: GoogleServer) -> None:
    google.fake.add_calendar(MEMBER)
    credentials = google.credentials()
    google.fake.tokens.access.discard(str(credentials.token))
    provider = google.provider(credentials=credentials)
    busy = _run(provider, provider.free_busy([MEMBER], _utc(2025, 3, 1), _utc(2025, 3, 2)))
    assert busy == {MEMBER: []}


def _sent_body(google: GoogleServer) -> dict[str, object]:
    """What the insert asked for, as the fake recorded it before filling in the id."""
    return google.fake.insert_bodies[-1]
