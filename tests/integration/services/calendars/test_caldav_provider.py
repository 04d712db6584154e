from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Iterator, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import caldav
import icalendar
import pytest

from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.base import (
    Attendee,
    AttendeeRole,
    EventRequest,
)
from inviteonce_desktop.services.calendars.caldav_provider import CalDavProvider, FreeBusyMethod
from inviteonce_desktop.services.calendars.errors import CalendarUnavailable, ReconnectRequired
from tests.integration.calendars.fakes.radicale import RadicaleServer, free_port
from tests.integration.calendars.support import utc as _utc

BERLIN = ZoneInfo("Europe/Berlin")
_names = itertools.count()

SEEDED = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:new-york-call
DTSTAMP:20250101T000000Z
DTSTART;TZID=America/New_York:20250303T090000
DTEND;TZID=America/New_York:20250303T100000
SUMMARY:Call from New York
END:VEVENT
END:VCALENDAR
---
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:offsite
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20250305
DTEND;VALUE=DATE:20250306
SUMMARY:Offsite
END:VEVENT
END:VCALENDAR
---
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:standup
DTSTAMP:20250101T000000Z
DTSTART:20250303T080000Z
DTEND:20250303T081500Z
RRULE:FREQ=DAILY;COUNT=4
EXDATE:20250304T080000Z
SUMMARY:Stand-up
END:VEVENT
BEGIN:VEVENT
UID:standup
DTSTAMP:20250101T000000Z
RECURRENCE-ID:20250306T080000Z
DTSTART:20250306T080000Z
DTEND:20250306T081500Z
STATUS:CANCELLED
SUMMARY:Stand-up
END:VEVENT
END:VCALENDAR
---
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:reminder
DTSTAMP:20250101T000000Z
DTSTART:20250303T120000Z
DTEND:20250303T130000Z
TRANSP:TRANSPARENT
SUMMARY:Lunch reminder
END:VEVENT
END:VCALENDAR
---
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:declined
DTSTAMP:20250101T000000Z
DTSTART:20250303T150000Z
DTEND:20250303T160000Z
ORGANIZER:mailto:carol@example.com
ATTENDEE;PARTSTAT=DECLINED:mailto:alice@example.com
SUMMARY:Declined
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture()
def calendar(radicale: RadicaleServer) -> Iterator[caldav.Calendar]:
    """A new calendar of alice's, seen through a client of its own."""
    password = radicale.users["alice"]
    with caldav.DAVClient(url=radicale.url, username="alice", password=password) as client:
        name = f"cal{next(_names)}"
        yield client.principal().make_calendar(name=name, cal_id=name)


def _provider(
    server: RadicaleServer, method: FreeBusyMethod = FreeBusyMethod.AUTO, user: str = "alice"
) -> CalDavProvider:
    return CalDavProvider(
        account_name="Radicale",
        url=server.url,
        username=user,
        password=server.users[user],
        time_zone=BERLIN,
        owner_emails=("alice@example.com",),
        free_busy_method=method,
        timeout=5,
    )


def _busy(provider: CalDavProvider, calendar_id: str) -> list[Interval]:
    async def run() -> list[Interval]:
        try:
            result = await provider.free_busy([calendar_id], _utc(2025, 3, 3), _utc(2025, 3, 7))
        finally:
            await provider.aclose()
        return result[calendar_id]

    return asyncio.run(run())


def test_event_search_expands_series_and_leaves_out_free_time(
    radicale: RadicaleServer, calendar: caldav.Calendar
) -> None:
    for text in SEEDED.split("---\n"):
        calendar.save_event(text)
    busy = _busy(_provider(radicale, FreeBusyMethod.SEARCH), str(calendar.url))
    assert busy == [
        Interval(_utc(2025, 3, 3, 8), _utc(2025, 3, 3, 8, 15)),
        Interval(_utc(2025, 3, 3, 14), _utc(2025, 3, 3, 15)),
        Interval(_utc(2025, 3, 4, 23), _utc(2025, 3, 5, 23)),
    ]


@pytest.mark.parametrize("method", [FreeBusyMethod.AUTO, FreeBusyMethod.SEARCH])
def test_a_missing_calendar_is_left_out_and_the_others_answer(
    radicale: RadicaleServer, calendar: caldav.Calendar, method: FreeBusyMethod
) -> None:
    calendar.save_event(SEEDED.split("---\n")[0])
    provider = _provider(radicale, method)

    async def run() -> Mapping[str, list[Interval]]:
        try:
            return await provider.free_busy(
                ["/alice/no-such-calendar/", str(calendar.url)], _utc(2025, 3, 3), _utc(2025, 3, 4)
            )
        finally:
            await provider.aclose()

    busy = asyncio.run(run())
    assert busy == {str(calendar.url): [Interval(_utc(2025, 3, 3, 14), _utc(2025, 3, 3, 15))]}


def test_free_busy_report_is_used_where_the_server_has_it(
    radicale: RadicaleServer, calendar: caldav.Calendar
) -> None:
    for text in SEEDED.split("---\n")[:3]:
        calendar.save_event(text)
    busy = _busy(_provider(radicale, FreeBusyMethod.REPORT), calendar.url.path)
    assert Interval(_utc(2025, 3, 3, 14), _utc(2025, 3, 3, 15)) in busy
    assert Interval(_utc(2025, 3, 3, 8), _utc(2025, 3, 3, 8, 15)) in busy
    assert not any(i.start == _utc(2025, 3, 4, 8) for i in busy)


async def _closing(provider: CalDavProvider, work: Awaitable[object]) -> object:
    try:
        return await work
    finally:
        await provider.aclose()


def _meeting(start: datetime, end: datetime) -> EventRequest:
    return EventRequest(
        uid="inv-42@inviteonce",
        title="Product demo",
        start=start,
        end=end,
        time_zone="Europe/Berlin",
        description="Agenda",
        attendees=(
            Attendee("customer@example.org", "Customer"),
            Attendee("room-1@example.com", "Room 1", AttendeeRole.RESOURCE),
        ),
        organizer_email="alice@example.com",
    )


def test_create_update_and_cancel_an_event(
    radicale: RadicaleServer, calendar: caldav.Calendar
) -> None:
    calendar_id = str(calendar.url)
    provider = _provider(radicale, FreeBusyMethod.SEARCH)
    window = (_utc(2025, 3, 3), _utc(2025, 3, 7))

    async def run() -> None:
        ref = await provider.create_event(
            calendar_id, _meeting(_utc(2025, 3, 4, 9), _utc(2025, 3, 4, 10))
        )
        busy = await provider.free_busy([calendar_id], *window)
        assert busy[calendar_id] == [Interval(_utc(2025, 3, 4, 9), _utc(2025, 3, 4, 10))]
        stored = icalendar.Calendar.from_ical(calendar.event_by_uid(ref.uid).data)
        vevent = stored.walk("VEVENT")[0]
        rooms = [a for a in vevent["attendee"] if a.params.get("CUTYPE") == "ROOM"]
        assert [str(a) for a in rooms] == ["mailto:room-1@example.com"]
        assert vevent["dtstart"].params["TZID"] == "Europe/Berlin"

        moved = await provider.update_event(
            calendar_id, ref, _meeting(_utc(2025, 3, 5, 13), _utc(2025, 3, 5, 14))
        )
        busy = await provider.free_busy([calendar_id], *window)
        assert busy[calendar_id] == [Interval(_utc(2025, 3, 5, 13), _utc(2025, 3, 5, 14))]
        assert moved.extra["sequence"] == "1"

        await provider.cancel_event(calendar_id, moved)
        busy = await provider.free_busy([calendar_id], *window)
        assert busy[calendar_id] == []
        await provider.aclose()

    asyncio.run(run())


def test_a_wrong_password_asks_to_reconnect_without_revealing_it(radicale: RadicaleServer) -> None:
    provider = CalDavProvider(
        account_name="Radicale",
        url=radicale.url,
        username="alice",
        password="not-the-password",
        time_zone=BERLIN,
    )
    with pytest.raises(ReconnectRequired) as caught:
        asyncio.run(_closing(provider, provider.check_connection()))
    assert "reconnect this calendar" in str(caught.value)
    assert "not-the-password" not in str(caught.value)


def test_an_unreachable_server_is_unavailable() -> None:
    provider = CalDavProvider(
        account_name="Gone",
        url=f"http://127.0.0.1:{free_port()}/",
        username="alice",
        password="x",
        time_zone=BERLIN,
        timeout=2,
    )
    asking = provider.free_busy(["/alice/work/"], _utc(2025, 3, 3), _utc(2025, 3, 4))
    with pytest.raises(CalendarUnavailable, match="'Gone'"):
        asyncio.run(_closing(provider, asking))
