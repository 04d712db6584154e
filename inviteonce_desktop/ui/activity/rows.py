"""How invitations, drafts and meetings read as table rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...application.invitations import InvitationEntry
from ...application.requests import InvitationRequest
from ...core.meeting import Meeting
from ...core.timezones import zone

INVITATION_HEADERS = ["Status", "Participant", "Subject", "Team members", "Created", "Expires"]
MEETING_HEADERS = ["Status", "Participant", "Subject", "Team members", "Starts", "Ends"]
UNFINISHED = "Unfinished"
WAITING_TO_PUBLISH = "Waiting to publish"
STATUS_LABELS = {
    "draft": "Draft",
    "pending": "Waiting for customer",
    "scheduled": "Scheduled",
    "cancelled": "Cancelled",
    "expired": "Expired",
    "booked": "Booked",
    "confirmed": "Confirmed",
}


def when(value: datetime | None, time_zone: str) -> str:
    if value is None:
        return ""
    return f"{value.astimezone(zone(time_zone)):%a %d %b %Y, %H:%M}"


def invitation_row(entry: InvitationEntry, time_zone: str) -> list[Any]:
    invitation = entry.invitation
    status = STATUS_LABELS[invitation.status.value]
    if entry.last_error and invitation.status.value == "draft":
        status = WAITING_TO_PUBLISH
    participant = invitation.participant
    return [
        status,
        f"{participant.name} <{participant.email}>",
        invitation.details.subject,
        ", ".join(entry.team_member_names),
        when(invitation.created_at, time_zone),
        when(invitation.expires_at, time_zone),
    ]


def draft_row(
    title: str, updated_at: datetime, state: InvitationRequest, zone_name: str
) -> list[Any]:
    name, email = state.participant_name, state.participant_email
    participant = f"{name} <{email}>" if email else name
    return [
        UNFINISHED,
        participant,
        state.subject or title,
        "",
        when(updated_at, zone_name),
        "",
    ]


def meeting_row(meeting: Meeting, names: list[str], time_zone: str) -> list[Any]:
    status = STATUS_LABELS.get(meeting.status.value, meeting.status.value.title())
    if meeting.conflict:
        status = f"{status} (conflict)"
    return [
        status,
        f"{meeting.participant_name} <{meeting.participant_email}>",
        meeting.subject,
        ", ".join(names),
        when(meeting.start, time_zone),
        when(meeting.end, time_zone),
    ]
