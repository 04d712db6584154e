"""A calendar that cannot be read is unknown, never free: through the facade and the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import caldav
import pytest

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.schedules import SlotRequest
from inviteonce_desktop.cli.commands import run as cli
from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.services.calendars.connected import TOKEN
from inviteonce_desktop.store.accounts import CalendarAccounts

from .conftest import GoogleServer
from .fakes.radicale import RadicaleServer

NOW = datetime(2026, 11, 30, 6, tzinfo=UTC)
DAY = date(2026, 12, 1)
MISSING = "/alice/no such calendar/"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ws"
    monkeypatch.setenv("INVITEONCE_HOME", str(folder))
    return folder


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(home: Path, memory_keyring: object, clock: FixedClock) -> Iterator[InviteOnce]:
    application = InviteOnce.open(home, clock)
    application.set_profile("Org", "organizer@example.com", "UTC")
    yield application
    asyncio.run(application.calendars.aclose())
    application.close()


@pytest.fixture
def alice_calendar(radicale: RadicaleServer) -> caldav.Calendar:
    client = caldav.DAVClient(url=radicale.url, username="alice", password="alice-app-password")
    principal = client.principal()
    for existing in principal.calendars():
        existing.delete()
    return principal.make_calendar(name="work", cal_id="work")


def frame_on(day: date) -> TimeFrame:
    return TimeFrame(
        "UTC", WeeklyHours.business(), start_date=day, end_date=day, minimum_notice=timedelta(0)
    )


def request(*members: str, day: date = DAY) -> SlotRequest:
    return SlotRequest(list(members), timedelta(minutes=30), frame_on(day))


def connect_alice(app: InviteOnce, radicale: RadicaleServer) -> int:
    account = asyncio.run(
        app.calendars.connect_caldav(
            radicale.url, "alice", "alice-app-password", email="alice@example.com"
        )
    )
    return account.id


def test_a_missing_caldav_collection_blocks_its_member_and_is_named(
    app: InviteOnce, radicale: RadicaleServer, alice_calendar: caldav.Calendar
) -> None:
    app.add_member("Alice", "alice@example.com")
    app.add_member("Bob Busy", "bob@example.com")
    account_id = connect_alice(app, radicale)
    app.calendars.map_resource("Bob Busy", account_id, MISSING)

    report = asyncio.run(app.calendars.refresh())

    assert report.failed == {}
    assert list(report.unreadable) == ["Bob Busy"]
    assert "no calendar at this address" in report.unreadable["Bob Busy"]
    bob = app.count_slots_now(request("Bob Busy"))
    assert bob.count == 0
    assert bob.reason.startswith("Bob Busy's calendar could not be read")
    assert bob.unknown == (bob.reason,)
    assert app.count_slots_now(request("Alice")).count == 16
    assert app.count_slots_now(request("Alice", "Bob Busy")).count == 0
    assert app.calendars.unreadable() == report.unreadable


def test_once_the_calendar_can_be_read_the_member_has_slots_again(
    app: InviteOnce, radicale: RadicaleServer, alice_calendar: caldav.Calendar
) -> None:
    app.add_member("Bob Busy", "bob@example.com")
    account_id = connect_alice(app, radicale)
    app.calendars.map_resource("Bob Busy", account_id, MISSING)
    asyncio.run(app.calendars.refresh())
    assert app.count_slots_now(request("Bob Busy")).count == 0
    app.calendars.map_resource("Bob Busy", account_id, str(alice_calendar.url))
    report = asyncio.run(app.calendars.refresh())
    assert report.unreadable == {}
    assert app.count_slots_now(request("Bob Busy")).count == 16


def test_google_not_found_is_unknown_not_free(app: InviteOnce, google: GoogleServer) -> None:
    app.add_member("Gus", "gus@example.com")
    app.add_member("Nobody", "nobody@example.com")
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        google_id = accounts.reserve("google")
        accounts.complete(
            google_id,
            "Work Google",
            AccountSettings(calendar="organizer@example.com", api_endpoint=google.api_endpoint),
        )
    app.credentials.set(google_id, TOKEN, google.credentials().to_json())
    google.fake.add_event(
        "gus@example.com",
        {
            "start": {"dateTime": "2026-12-01T13:00:00Z"},
            "end": {"dateTime": "2026-12-01T14:00:00Z"},
        },
    )
    app.calendars.map_resource("Gus", google_id, None)
    app.calendars.map_resource("Nobody", google_id, None)
    report = asyncio.run(app.calendars.refresh())
    assert list(report.unreadable) == ["Nobody"]
    assert "not shared" in report.unreadable["Nobody"]
    assert app.count_slots_now(request("Gus")).count == 14
    assert app.count_slots_now(request("Nobody")).count == 0


def test_a_live_re_check_that_fails_names_the_member_instead_of_using_the_cache(
    app: InviteOnce, radicale: RadicaleServer, alice_calendar: caldav.Calendar
) -> None:
    app.add_member("Alice", "alice@example.com")
    account_id = connect_alice(app, radicale)
    asyncio.run(app.calendars.refresh())
    key = app.members()[0].key
    app.credentials.set(account_id, "password", "revoked")
    fresh = InviteOnce(app.workspace, app.clock, app.credentials)
    try:
        start = datetime(2026, 12, 1, 9, tzinfo=UTC)
        live = asyncio.run(fresh.calendars.live_busy([key], start, start + timedelta(hours=1)))
    finally:
        asyncio.run(fresh.calendars.aclose())
    assert key not in live or live[key] == []
    assert "Alice's calendar could not be read" in live.unreadable[key]
    assert "refused the password" in live.unreadable[key]


def test_a_frame_beyond_the_default_horizon_is_read_as_far_as_it_needs(
    app: InviteOnce, radicale: RadicaleServer, alice_calendar: caldav.Calendar
) -> None:
    far = DAY + timedelta(days=140)
    while far.weekday() >= 5:
        far += timedelta(days=1)
    alice_calendar.save_event(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:far@test\n"
        f"DTSTART:{far:%Y%m%d}T090000Z\nDTEND:{far:%Y%m%d}T120000Z\nSUMMARY:Far\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    app.add_member("Alice", "alice@example.com")
    connect_alice(app, radicale)
    asyncio.run(app.calendars.refresh())
    before = app.count_slots_now(request("Alice", day=far))
    assert before.count == 0 and "has been read only until" in before.reason
    assert app.busy_is_stale(request("Alice", day=far))

    report = asyncio.run(app.refresh_for(request("Alice", day=far)))

    assert report is not None and report.problems == []
    after = app.count_slots_now(request("Alice", day=far))
    assert after.count == 10  # 09:00-12:00 is busy
    assert after.busy_as_of == NOW and after.freshness("UTC") == "busy time as of 06:00"


def test_old_busy_time_is_stale_and_refreshed_first(
    app: InviteOnce, clock: FixedClock, radicale: RadicaleServer, alice_calendar: caldav.Calendar
) -> None:
    app.add_member("Alice", "alice@example.com")
    connect_alice(app, radicale)
    asyncio.run(app.calendars.refresh())
    assert not app.busy_is_stale(request("Alice"))
    assert asyncio.run(app.refresh_for(request("Alice"))) is None
    clock.at = NOW + timedelta(minutes=6)
    assert app.count_slots_now(request("Alice")).stale
    alice_calendar.save_event(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:new@test\n"
        "DTSTART:20261201T090000Z\nDTEND:20261201T100000Z\nSUMMARY:New\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    assert asyncio.run(app.refresh_for(request("Alice"))) is not None
    fresh = app.count_slots_now(request("Alice"))
    assert (fresh.count, fresh.stale) == (14, False)
    assert fresh.busy_as_of == NOW + timedelta(minutes=6)


def test_the_cli_names_the_unreadable_member_and_exits_1(
    app: InviteOnce,
    radicale: RadicaleServer,
    alice_calendar: caldav.Calendar,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app.add_member("Bob Busy", "bob@example.com")
    account_id = connect_alice(app, radicale)
    app.calendars.map_resource("Bob Busy", account_id, MISSING)

    assert cli(["calendars", "refresh"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("Bob Busy's calendar could not be read: ")
    assert "Refreshed" in captured.out

    assert cli(["slots", "-m", "Bob Busy", "--days", "7"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("0 available time slots")
    assert "Bob Busy's calendar could not be read" in captured.err

    assert cli(["slots", "-m", "Bob Busy", "--days", "7", "--offline"]) == 1
    assert "Bob Busy's calendar could not be read" in capsys.readouterr().err
