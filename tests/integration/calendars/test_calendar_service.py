"""Connected calendars through the facade: connect, map, refresh into the cache, fail alone."""

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
from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.services.calendars.connected import TOKEN
from inviteonce_desktop.store.accounts import CalendarAccounts

from .conftest import GoogleServer
from .fakes.radicale import RadicaleServer

NOW = datetime(2026, 11, 30, 6, tzinfo=UTC)
DAY = date(2026, 12, 1)


@pytest.fixture
def workspace_app(tmp_path: Path, memory_keyring: object) -> Iterator[InviteOnce]:
    app = InviteOnce.open(tmp_path / "ws", FixedClock(NOW))
    app.set_profile("Org", "organizer@example.com", "UTC")
    yield app
    asyncio.run(app.calendars.aclose())
    app.close()


@pytest.fixture
def alice_calendar(radicale: RadicaleServer) -> caldav.Calendar:
    client = caldav.DAVClient(url=radicale.url, username="alice", password="alice-app-password")
    principal = client.principal()
    for existing in principal.calendars():
        existing.delete()
    calendar = principal.make_calendar(name="work", cal_id="work")
    calendar.save_event(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:busy-1@test\n"
        "DTSTART:20261201T090000Z\nDTEND:20261201T100000Z\nSUMMARY:Standup\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    return calendar


def one_day(app: InviteOnce, *members: str) -> int:
    frame = TimeFrame(
        "UTC", WeeklyHours.business(), start_date=DAY, end_date=DAY, minimum_notice=timedelta(0)
    )
    return app.count_slots_now(SlotRequest(list(members), timedelta(minutes=30), frame)).count


def test_a_caldav_account_feeds_the_slot_count_and_keeps_its_password_in_the_keyring(
    workspace_app: InviteOnce, radicale: RadicaleServer, alice_calendar: caldav.Calendar
) -> None:
    app = workspace_app
    app.add_member("Alice", "alice@example.com")
    assert one_day(app, "Alice") == 16
    account = asyncio.run(
        app.calendars.connect_caldav(
            radicale.url, "alice", "alice-app-password", email="alice@example.com"
        )
    )
    assert app.members()[0].calendar_account_id == account.id
    report = asyncio.run(app.calendars.refresh())
    assert report.failed == {} and report.refreshed == [account.name]
    assert one_day(app, "Alice") == 14  # the standup blocks 09:00 and 09:30
    database = (app.workspace.home / "inviteonce.sqlite3").read_bytes()
    assert b"alice-app-password" not in database
    assert app.calendars.account(account.id).last_refresh == NOW


def test_a_wrong_password_is_refused_and_leaves_no_account(
    workspace_app: InviteOnce, radicale: RadicaleServer, alice_calendar: caldav.Calendar
) -> None:
    from inviteonce_desktop.services.calendars.errors import CalendarError

    with pytest.raises(CalendarError, match="refused the password"):
        asyncio.run(workspace_app.calendars.connect_caldav(radicale.url, "alice", "wrong"))
    assert workspace_app.calendars.accounts() == []


def test_one_failing_account_does_not_stop_the_others(
    workspace_app: InviteOnce,
    radicale: RadicaleServer,
    alice_calendar: caldav.Calendar,
    google: GoogleServer,
) -> None:
    app = workspace_app
    app.add_member("Alice", "alice@example.com")
    app.add_member("Gus", "gus@example.com")
    google.fake.add_event(
        "gus@example.com",
        {
            "start": {"dateTime": "2026-12-01T13:00:00Z"},
            "end": {"dateTime": "2026-12-01T15:00:00Z"},
        },
    )
    caldav_account = asyncio.run(
        app.calendars.connect_caldav(
            radicale.url, "alice", "alice-app-password", "alice@example.com"
        )
    )
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        google_id = accounts.reserve("google")
        accounts.complete(
            google_id,
            "Work Google",
            AccountSettings(calendar="organizer@example.com", api_endpoint=google.api_endpoint),
        )
    app.credentials.set(google_id, TOKEN, google.credentials().to_json())
    app.calendars.map_resource("Gus", google_id, None)
    app.credentials.set(caldav_account.id, "password", "revoked")

    report = asyncio.run(app.calendars.refresh())

    assert report.refreshed == ["Work Google"], report.failed
    assert "refused the password" in report.failed[caldav_account.name]
    assert app.calendars.account(caldav_account.id).status == "reconnect"
    assert app.calendars.account(google_id).status == "connected"
    assert one_day(app, "Gus") == 12  # 13:00-15:00 is busy


def test_removing_an_account_forgets_its_sign_in_and_unmaps_people(
    workspace_app: InviteOnce, radicale: RadicaleServer, alice_calendar: caldav.Calendar
) -> None:
    app = workspace_app
    app.add_member("Alice", "alice@example.com")
    account = asyncio.run(
        app.calendars.connect_caldav(
            radicale.url, "alice", "alice-app-password", "alice@example.com"
        )
    )
    app.calendars.remove(account.id)
    assert app.credentials.get(account.id, "password") is None
    assert app.members()[0].calendar_account_id is None
