"""The documented busy-time rules on two CalDAV servers nobody here wrote.

Radicale (htpasswd, owner-only rights) and Debian's Xandikos (behind basic
authentication) get the same scenarios: declined, transparent and cancelled
events are free; floating and all-day times are read in the calendar's zone;
recurring series keep their EXDATEs and overrides, including plain weekly
occurrences some servers leave out of time-range answers; an unreadable
collection is named, never free. Calendars live at paths with spaces and accents.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import caldav
import pytest

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.busy import FreeBusy, unreadable_reason
from inviteonce_desktop.services.calendars.caldav_provider import CalDavProvider

from .fakes.radicale import radicale_server
from .fakes.xandikos_fixture import xandikos_available, xandikos_server

OWNER = "alice@example.com"
START = datetime(2026, 11, 30, tzinfo=UTC)
END = datetime(2027, 1, 4, tzinfo=UTC)
CALENDAR_NAME = "Équipe réunions"


@dataclass(frozen=True)
class DavAccount:
    server: str
    url: str
    user: str
    password: str
    home: str
    """The user's calendar home, where a calendar with a spaced, accented name is made."""
    foreign: str
    """A collection the user may not read (another user's, or one that does not exist)."""
    calendar_path: str
    """The new calendar's path segment: spaces, and accents where the server's front
    end passes them through (Xandikos under wsgiref gets its path as latin-1)."""


@pytest.fixture(scope="module")
def radicale_owner_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DavAccount]:
    folder = tmp_path_factory.mktemp("radicale-owner-only")
    users = {"alice": "alice-pw", "bob": "bob-pw"}
    with radicale_server(folder, users, owner_only=True) as server:
        bob = caldav.DAVClient(url=server.url, username="bob", password="bob-pw")
        bob.principal().make_calendar(name="private", cal_id="private")
        yield DavAccount(
            "radicale",
            server.url,
            "alice",
            "alice-pw",
            "/alice/",
            "/bob/private/",
            CALENDAR_NAME,
        )


@pytest.fixture(scope="module")
def xandikos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DavAccount]:
    if not xandikos_available():
        pytest.fail("Xandikos is not installed: apt-get install xandikos")
    folder = tmp_path_factory.mktemp("xandikos")
    with xandikos_server(folder / "dav", "alice", "alice-pw") as server:
        yield DavAccount(
            "xandikos",
            server.url,
            "alice",
            "alice-pw",
            "/alice/calendars/",
            "/alice/calendars/missing/",
            "team meetings",
        )


@pytest.fixture(params=["radicale", "xandikos"])
def account(request: pytest.FixtureRequest) -> DavAccount:
    fixture = "radicale_owner_only" if request.param == "radicale" else "xandikos"
    found: DavAccount = request.getfixturevalue(fixture)
    return found


@pytest.fixture
def calendar(account: DavAccount) -> Iterator[caldav.Calendar]:
    client = caldav.DAVClient(url=account.url, username=account.user, password=account.password)
    principal = client.principal()
    for existing in principal.calendars():
        if existing.get_display_name() == CALENDAR_NAME:
            existing.delete()
    made = principal.make_calendar(name=CALENDAR_NAME, cal_id=account.calendar_path)
    yield made
    made.delete()


def save(calendar: caldav.Calendar, *events: str) -> None:
    for body in events:
        calendar.save_event(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
            + body.strip().replace("\n", "\r\n")
            + "\r\nEND:VCALENDAR\r\n"
        )


def busy_of(account: DavAccount, calendar_url: str, zone_name: str = "UTC") -> FreeBusy:
    provider = CalDavProvider(
        account_name="Team DAV",
        url=account.url,
        username=account.user,
        password=account.password,
        time_zone=ZoneInfo(zone_name),
        owner_emails=[OWNER],
    )

    async def run() -> FreeBusy:
        try:
            answer = await provider.free_busy([calendar_url], START, END)
            assert isinstance(answer, FreeBusy)
            return answer
        finally:
            await provider.aclose()

    return asyncio.run(run())


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_declined_transparent_and_cancelled_events_are_free(
    account: DavAccount, calendar: caldav.Calendar
) -> None:
    save(
        calendar,
        f"""BEGIN:VEVENT
UID:declined@t
DTSTART:20261201T090000Z
DTEND:20261201T100000Z
SUMMARY:Declined
ORGANIZER:mailto:boss@example.com
ATTENDEE;PARTSTAT=DECLINED:mailto:{OWNER}
ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@example.com
END:VEVENT""",
        """BEGIN:VEVENT
UID:transparent@t
DTSTART:20261201T110000Z
DTEND:20261201T120000Z
TRANSP:TRANSPARENT
SUMMARY:Reminder
END:VEVENT""",
        """BEGIN:VEVENT
UID:cancelled@t
DTSTART:20261201T130000Z
DTEND:20261201T140000Z
STATUS:CANCELLED
SUMMARY:Called off
END:VEVENT""",
        f"""BEGIN:VEVENT
UID:accepted@t
DTSTART:20261201T150000Z
DTEND:20261201T160000Z
SUMMARY:Accepted
ORGANIZER:mailto:boss@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:{OWNER}
END:VEVENT""",
    )
    busy = busy_of(account, str(calendar.url))
    assert busy[str(calendar.url)] == [Interval(utc(2026, 12, 1, 15), utc(2026, 12, 1, 16))]


def test_floating_and_all_day_times_are_the_calendars_own_zone(
    account: DavAccount, calendar: caldav.Calendar
) -> None:
    save(
        calendar,
        """BEGIN:VEVENT
UID:floating@t
DTSTART:20261201T150000
DTEND:20261201T160000
SUMMARY:Floating
END:VEVENT""",
        """BEGIN:VEVENT
UID:all-day@t
DTSTART;VALUE=DATE:20261203
DTEND;VALUE=DATE:20261204
SUMMARY:Offsite
END:VEVENT""",
    )
    busy = busy_of(account, str(calendar.url), "Pacific/Auckland")  # UTC+13 in December
    assert busy[str(calendar.url)] == [
        Interval(utc(2026, 12, 1, 2), utc(2026, 12, 1, 3)),
        Interval(utc(2026, 12, 2, 11), utc(2026, 12, 3, 11)),
    ]


def test_recurring_series_keep_exdates_and_overrides_with_plain_weekly_occurrences(
    account: DavAccount, calendar: caldav.Calendar
) -> None:
    save(
        calendar,
        """BEGIN:VEVENT
UID:weekly@t
DTSTART;TZID=Europe/Zurich:20261201T100000
DTEND;TZID=Europe/Zurich:20261201T110000
RRULE:FREQ=WEEKLY;COUNT=5
EXDATE;TZID=Europe/Zurich:20261208T100000
SUMMARY:Weekly
END:VEVENT
BEGIN:VEVENT
UID:weekly@t
RECURRENCE-ID;TZID=Europe/Zurich:20261215T100000
DTSTART;TZID=Europe/Zurich:20261215T140000
DTEND;TZID=Europe/Zurich:20261215T150000
SUMMARY:Weekly, moved
END:VEVENT""",
    )
    busy = busy_of(account, str(calendar.url))
    assert busy[str(calendar.url)] == [
        Interval(utc(2026, 12, 1, 9), utc(2026, 12, 1, 10)),
        Interval(utc(2026, 12, 15, 13), utc(2026, 12, 15, 14)),
        Interval(utc(2026, 12, 22, 9), utc(2026, 12, 22, 10)),
        Interval(utc(2026, 12, 29, 9), utc(2026, 12, 29, 10)),
    ]


def test_a_collection_that_cannot_be_read_is_named_not_free(account: DavAccount) -> None:
    busy = busy_of(account, account.foreign)
    assert account.foreign not in busy
    reason = unreadable_reason(busy, account.foreign)
    assert reason is not None and "CalDAV server" in reason


def test_the_account_lists_its_calendars_and_prefers_one_that_holds_events(
    account: DavAccount, calendar: caldav.Calendar
) -> None:
    provider = CalDavProvider(
        account_name="Team DAV",
        url=account.url,
        username=account.user,
        password=account.password,
        time_zone=UTC,
    )

    async def run() -> list[str]:
        try:
            return [c.name for c in await provider.calendars()]
        finally:
            await provider.aclose()

    names = asyncio.run(run())
    assert CALENDAR_NAME in names


FLOATING_AND_ALL_DAY = (
    """BEGIN:VEVENT
UID:floating@t
DTSTART:20261201T150000
DTEND:20261201T160000
SUMMARY:Floating
END:VEVENT""",
    """BEGIN:VEVENT
UID:all-day@t
DTSTART;VALUE=DATE:20261203
DTEND;VALUE=DATE:20261204
SUMMARY:Offsite
END:VEVENT""",
)
IN_AUCKLAND = [  # UTC+13 in December
    Interval(utc(2026, 12, 1, 2), utc(2026, 12, 1, 3)),
    Interval(utc(2026, 12, 2, 11), utc(2026, 12, 3, 11)),
]


def test_without_a_calendar_timezone_the_members_own_zone_reads_floating_times(
    account: DavAccount, calendar: caldav.Calendar
) -> None:
    save(calendar, *FLOATING_AND_ALL_DAY)
    url = str(calendar.url)
    provider = CalDavProvider(
        account_name="Team DAV",
        url=account.url,
        username=account.user,
        password=account.password,
        time_zone=UTC,  # The account's zone: not the member's.
        owner_emails=[OWNER],
    )
    provider.use_zones({url: ZoneInfo("Pacific/Auckland")})

    async def run() -> FreeBusy:
        try:
            answer = await provider.free_busy([url], START, END)
            assert isinstance(answer, FreeBusy)
            return answer
        finally:
            await provider.aclose()

    assert asyncio.run(run())[url] == IN_AUCKLAND


def test_the_calendar_service_reads_a_members_calendar_in_the_members_zone(
    account: DavAccount, calendar: caldav.Calendar, tmp_path: Path
) -> None:
    """The organizer lives in UTC; Alice, in Auckland, has a calendar without a zone."""
    save(calendar, *FLOATING_AND_ALL_DAY)
    app = InviteOnce.open(tmp_path / "ws", FixedClock(START))
    try:
        app.set_profile("Org", "organizer@example.com", "UTC")
        alice = app.add_member("Alice", OWNER, time_zone="Pacific/Auckland")
        connected = asyncio.run(
            app.calendars.connect_caldav(account.url, account.user, account.password, email=OWNER)
        )
        app.calendars.map_resource("Alice", connected.id, str(calendar.url))
        live = asyncio.run(app.calendars.live_busy([alice.key], START, END))
        assert live[alice.key] == IN_AUCKLAND
        assert asyncio.run(app.calendars.refresh(until=END)).unreadable == {}
    finally:
        asyncio.run(app.calendars.aclose())
        app.close()
