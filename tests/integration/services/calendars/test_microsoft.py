from __future__ import annotations

import ssl
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

import httpx
import pytest

from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.base import (
    Attendee,
    AttendeeRole,
    CalendarProvider,
    EventRequest,
    OnlineMeeting,
)
from inviteonce_desktop.services.calendars.errors import ReconnectRequired
from tests.integration.calendars.conftest import GraphServer
from tests.integration.calendars.fakes.graph import ScheduleItem
from tests.integration.calendars.support import run_then_close as _run
from tests.integration.calendars.support import utc as _utc

T = TypeVar("T")
MEMBER = "adele@contoso.com"
ROOM = "room-12@contoso.com"


@pytest.mark.parametrize(("elsewhere_busy", "days"), [(False, (3, 4, 5)), (True, (3, 4, 5, 6))])
def test_get_schedule_blocks_busy_tentative_oof_and_elsewhere_only_when_the_account_says(
    graph: GraphServer, elsewhere_busy: bool, days: tuple[int, ...]
) -> None:
    for day, status in enumerate(["busy", "tentative", "oof", "workingElsewhere", "free"], 3):
        graph.fake.add_item(
            MEMBER, ScheduleItem(_utc(2025, 3, day, 9), _utc(2025, 3, day, 10), status)
        )
    graph.fake.add_item(ROOM, ScheduleItem(_utc(2025, 5, 20, 8), _utc(2025, 5, 20, 9, 30)))
    provider: CalendarProvider = graph.provider(working_elsewhere_busy=elsewhere_busy)
    busy = _run(
        provider,
        provider.free_busy([MEMBER, ROOM, "gone@contoso.com"], _utc(2025, 3, 1), _utc(2025, 6, 1)),
    )
    assert busy == {
        MEMBER: [Interval(_utc(2025, 3, d, 9), _utc(2025, 3, d, 10)) for d in days],
        ROOM: [Interval(_utc(2025, 5, 20, 8), _utc(2025, 5, 20, 9, 30))],
    }
    assert "mailbox was not found" in unreadable_reason_of(busy, "gone@contoso.com")
    assert len(graph.fake.schedule_bodies) == 2


def unreadable_reason_of(busy: object, calendar_id: str) -> str:
    from inviteonce_desktop.services.calendars.busy import unreadable_reason

    assert isinstance(busy, dict)
    reason = unreadable_reason(busy, calendar_id)
    assert reason is not None
    return reason


def test_get_schedule_takes_twenty_mailboxes_at_a_time(graph: GraphServer) -> None:
    members = [f"m{i}@contoso.com" for i in range(45)]
    for member in members:
        graph.fake.schedules[member] = []
    provider = graph.provider()
    busy = _run(provider, provider.free_busy(members, _utc(2025, 3, 1), _utc(2025, 3, 2)))
    assert set(busy) == set(members)
    assert sorted(len(b["schedules"]) for b in graph.fake.schedule_bodies) == [5, 20, 20]


def _meeting(start: datetime, end: datetime, **extra: object) -> EventRequest:
    return EventRequest(
        uid="inv-7@inviteonce",
        title="Kick-off",
        start=start,
        end=end,
        time_zone="Europe/Berlin",
        attendees=(
            Attendee("customer@example.org", "Customer"),
            Attendee(ROOM, "Room 12", AttendeeRole.RESOURCE),
        ),
        **extra,  # type: ignore[arg-type]
    )


def test_create_a_teams_meeting_update_and_cancel(graph: GraphServer) -> None:
    provider = graph.provider()
    me = graph.fake.account_email
    window = (_utc(2025, 3, 1), _utc(2025, 3, 8))

    async def run() -> None:
        meeting = _meeting(
            _utc(2025, 3, 4, 9), _utc(2025, 3, 4, 10), online_meeting=OnlineMeeting.PROVIDER
        )
        ref = await provider.create_event(me, meeting)
        stored = graph.fake.events[ref.provider_id]
        assert ref.join_url is not None and ref.join_url.startswith("https://teams.microsoft.com/")
        assert stored["start"] == {
            "dateTime": "2025-03-04T10:00:00",
            "timeZone": "W. Europe Standard Time",
        }
        assert [a["type"] for a in stored["attendees"]] == ["required", "resource"]
        assert stored["onlineMeetingProvider"] == "teamsForBusiness"
        again = await provider.create_event(me, meeting)
        assert again.provider_id == ref.provider_id and len(graph.fake.events) == 1
        busy = await provider.free_busy([me], *window)
        assert busy[me] == [Interval(_utc(2025, 3, 4, 9), _utc(2025, 3, 4, 10))]

        await provider.update_event(me, ref, _meeting(_utc(2025, 3, 5, 14), _utc(2025, 3, 5, 15)))
        busy = await provider.free_busy([me], *window)
        assert busy[me] == [Interval(_utc(2025, 3, 5, 14), _utc(2025, 3, 5, 15))]

        await provider.cancel_event(me, ref)
        assert stored["isCancelled"] is True
        assert (await provider.free_busy([me], *window))[me] == []

    _run(provider, run())


@pytest.mark.parametrize(
    ("time_zone", "windows_name", "wall"),
    [
        ("Europe/Zurich", "W. Europe Standard Time", "10:00"),
        ("Europe/Madrid", "Romance Standard Time", "10:00"),
        ("Europe/Vienna", "W. Europe Standard Time", "10:00"),
        ("Europe/Amsterdam", "W. Europe Standard Time", "10:00"),
        ("America/Toronto", "Eastern Standard Time", "04:00"),
        ("Asia/Hong_Kong", "China Standard Time", "17:00"),
    ],
)
def test_zones_graph_does_not_take_by_their_iana_name_go_by_their_windows_name(
    graph: GraphServer, time_zone: str, windows_name: str, wall: str
) -> None:
    provider = graph.provider()
    me = graph.fake.account_email
    meeting = replace(_meeting(_utc(2025, 3, 4, 9), _utc(2025, 3, 4, 10)), time_zone=time_zone)
    ref = _run(provider, provider.create_event(me, meeting))
    stored = graph.fake.events[ref.provider_id]
    assert stored["start"] == {"dateTime": f"2025-03-04T{wall}:00", "timeZone": windows_name}


def test_the_fake_refuses_an_iana_zone_graph_does_not_take(graph: GraphServer) -> None:
    body = {
        "subject": "x",
        "start": {"dateTime": "2025-03-04T10:00:00", "timeZone": "Europe/Zurich"},
        "end": {"dateTime": "2025-03-04T11:00:00", "timeZone": "Europe/Zurich"},
    }
    token = graph.fake.tokens.new_access()
    response = httpx.post(
        f"{graph.graph_url}/v1.0/me/events",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        verify=ssl.create_default_context(cafile=str(graph.certificate.cert_file)),
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "TimeZoneNotSupportedException"
    assert graph.fake.events == {}


def test_events_in_another_mailbox_go_through_users(graph: GraphServer) -> None:
    provider = graph.provider()
    ref = _run(
        provider, provider.create_event(MEMBER, _meeting(_utc(2025, 3, 4, 9), _utc(2025, 3, 4, 10)))
    )
    assert graph.fake.events[ref.provider_id]["_owner"] == MEMBER
    assert ("POST", f"users/{MEMBER}/events") in graph.fake.requests


def test_an_expired_token_is_renewed_once_then_reconnect_is_asked(graph: GraphServer) -> None:
    graph.fake.schedules[MEMBER] = []
    token = graph.access_token()
    graph.fake.tokens.access.clear()
    provider = graph.provider(access_token=token)
    busy = _run(provider, provider.free_busy([MEMBER], _utc(2025, 3, 1), _utc(2025, 3, 2)))
    assert busy == {MEMBER: []}
    graph.fake.tokens.revoke_all()
    provider = graph.provider(access_token=token)
    with pytest.raises(ReconnectRequired, match="reconnect this calendar"):
        _run(provider, provider.free_busy([MEMBER], _utc(2025, 3, 1), _utc(2025, 3, 2)))
