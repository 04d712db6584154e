"""How invitations, drafts and meetings read as table rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...application.delivery import Delivery, DeliveryKind
from ...application.invitations import InvitationEntry
from ...application.requests import InvitationRequest
from ...core.meeting import Meeting
from ...core.timezones import zone

INVITATION_HEADERS = [
    "Status",
    "Delivery",
    "Participant",
    "Subject",
    "Team members",
    "Created",
    "Expires",
]
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


def when(value: datetime | None, time_zone: str, this_year: int | None = None) -> str:
    """ "Tue 01 Dec, 17:59"; the year too when it is not *this_year* (default: the current one)."""
    if value is None:
        return ""
    local = value.astimezone(zone(time_zone))
    year = this_year if this_year is not None else datetime.now(local.tzinfo).year
    return f"{local:%a %d %b %Y, %H:%M}" if local.year != year else f"{local:%a %d %b, %H:%M}"


def delivery_text(delivery: Delivery, time_zone: str) -> str:
    """The Delivery column: queued, sent at …, failed: reason."""
    match delivery.kind:
        case DeliveryKind.LINKS:
            return "Links to send yourself"
        case DeliveryKind.QUEUED:
            return "Email queued"
        case DeliveryKind.SENT:
            return f"Email sent {when(delivery.sent_at, time_zone)}".strip()
        case DeliveryKind.FAILED:
            return f"Failed: {delivery.reason}"
        case DeliveryKind.NOT_PUBLISHED:
            return "Not published yet"
    return ""


def invitation_row(entry: InvitationEntry, delivery: Delivery, time_zone: str) -> list[Any]:
    invitation = entry.invitation
    status = STATUS_LABELS[invitation.status.value]
    if entry.last_error and invitation.status.value == "draft":
        status = WAITING_TO_PUBLISH
    participant = invitation.participant
    return [
        status,
        delivery_text(delivery, time_zone),
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
        "",
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
