from __future__ import annotations

from datetime import datetime
from typing import TypeVar

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

from .conftest import GraphServer
from .fakes.graph import ScheduleItem
from .support import run_then_close as _run
from .support import utc as _utc

T = TypeVar("T")
MEMBER = "adele@contoso.com"
ROOM = "room-12@contoso.com"


def test_get_schedule_blocks_busy_tentative_oof_and_elsewhere(graph: GraphServer) -> None:
    for day, status in enumerate(["busy", "tentative", "oof", "workingElsewhere", "free"], 3):
        graph.fake.add_item(
            MEMBER, ScheduleItem(_utc(2025, 3, day, 9), _utc(2025, 3, day, 10), status)
        )
    graph.fake.add_item(ROOM, ScheduleItem(_utc(2025, 5, 20, 8), _utc(2025, 5, 20, 9, 30)))
    provider: CalendarProvider = graph.provider()
    busy = _run(
        provider,
        provider.free_busy([MEMBER, ROOM, "gone@contoso.com"], _utc(2025, 3, 1), _utc(2025, 6, 1)),
    )
    assert busy == {
        MEMBER: [Interval(_utc(2025, 3, d, 9), _utc(2025, 3, d, 10)) for d in (3, 4, 5, 6)],
        ROOM: [Interval(_utc(2025, 5, 20, 8), _utc(2025, 5, 20, 9, 30))],
    }
    assert len(graph.fake.schedule_bodies) == 2


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
        assert stored["start"] == {"dateTime": "2025-03-04T10:00:00", "timeZone": "Europe/Berlin"}
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
