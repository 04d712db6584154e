"""Only the open invitations whose slots changed are republished, once per change."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.invitation import (
    Invitation,
    MeetingDetails,
    Notifications,
    Participant,
    SendMode,
)
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.store.outbox import Outbox

NOW = datetime.now(UTC).replace(second=0, microsecond=0)


def next_weekday() -> date:
    day = NOW.date() + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


DAY = next_weekday()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[InviteOnce]:
    application = InviteOnce.open(tmp_path / "ws", FixedClock(NOW))
    application.set_profile("Olivia Organizer", "olivia@example.com", "UTC")
    application.add_member("Maria Keller", "maria@example.com")
    application.add_member("Tom Berg", "tom@example.com")
    yield application
    application.close()


def invite(app: InviteOnce, member: str) -> int:
    member_id = next(m.id for m in app.members() if m.name == member)
    frame = TimeFrame(
        "UTC", WeeklyHours.business(), start_date=DAY, end_date=DAY, minimum_notice=timedelta(0)
    )
    invitation = Invitation(
        Participant("Carla", "carla@example.org"),
        MeetingDetails("Intro", timedelta(minutes=30), (member_id or 0,)),
        frame,
        Notifications(send_mode=SendMode.LINKS),
    )
    created = asyncio.run(app.create_invitation(invitation))
    assert created.invitation.id is not None
    return created.invitation.id


def offered(app: InviteOnce, invitation_id: int) -> int:
    token = app.invitations.get(invitation_id).token
    base = app.relay.client()._http.base_url
    answer = httpx.get(f"{base}/api/v1/i/{token}")
    return len(answer.json()["slots"])


def republish_jobs(app: InviteOnce) -> list[str]:
    with app.workspace.session() as session:
        return [
            item.idempotency_key
            for item in Outbox(session).due(datetime.max.replace(tzinfo=UTC), 100)
            if item.kind == "republish"
        ]


def test_only_the_changed_invitation_is_republished_once(app: InviteOnce) -> None:
    maria, tom = invite(app, "Maria Keller"), invite(app, "Tom Berg")
    assert asyncio.run(app.republisher.republish_changed()) == []
    assert offered(app, maria) == offered(app, tom) == 16

    ten = datetime(DAY.year, DAY.month, DAY.day, 10, tzinfo=UTC)
    app.add_busy("Maria Keller", ten, ten + timedelta(hours=1))
    assert asyncio.run(app.republisher.republish_changed()) == [maria]
    assert asyncio.run(app.republisher.republish_changed()) == [maria]
    assert len(republish_jobs(app)) == 1  # the same change is queued once

    asyncio.run(app.worker.run_due())

    assert republish_jobs(app) == []
    assert offered(app, maria) == 14 and offered(app, tom) == 16
    assert asyncio.run(app.republisher.republish_changed()) == []
