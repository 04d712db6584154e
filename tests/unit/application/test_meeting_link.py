""" "Open in calendar": the provider's page of the event, else an .ics file to import."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.requests import InvitationRequest
from inviteonce_desktop.core.event_ref import MeetingEventRef
from inviteonce_desktop.core.meeting import Meeting, MeetingStatus
from inviteonce_desktop.store.activity import Invitations, Meetings

START = datetime(2026, 12, 3, 9, tzinfo=UTC)


def _meeting(app: InviteOnce, ref: MeetingEventRef | None) -> int:
    request = InvitationRequest(
        participant_name="Carla",
        participant_email="carla@example.org",
        subject="Intro",
        team_member_ids=[1],
    )
    with app.workspace.session() as session:
        invitation = Invitations(session).add(request.invitation(), START)
        meetings = Meetings(session)
        meeting = meetings.add(
            Meeting(
                invitation.id or 0,
                "Intro",
                START,
                START + timedelta(minutes=30),
                "Carla",
                "carla@example.org",
                "uid-1@inviteonce",
                booked_at=START,
            ),
            "booking-1",
            "Europe/Berlin",
        )
        meetings.set_event_ref(meeting.id or 0, ref, MeetingStatus.CONFIRMED)
    return meeting.id or 0


def test_the_providers_page_of_the_event_is_opened(app: InviteOnce) -> None:
    link = "https://calendar.example/event/abc"
    ref = MeetingEventRef(4, "olivia@example.com", "abc", "uid-1@inviteonce", None, link)
    meeting_id = _meeting(app, ref)
    assert app.meeting_calendar_link(meeting_id) == link
    with app.workspace.session() as session:
        assert Meetings(session).event_ref(meeting_id) == ref


def test_without_one_the_meeting_is_an_ics_file_to_import(app: InviteOnce) -> None:
    ref = MeetingEventRef(None, "member:1", "uid-1@inviteonce", "uid-1@inviteonce")
    meeting_id = _meeting(app, ref)
    path = Path(urlparse(app.meeting_calendar_link(meeting_id)).path)
    assert path.parent == app.home / "exports"
    assert b"UID:uid-1@inviteonce" in path.read_bytes()
