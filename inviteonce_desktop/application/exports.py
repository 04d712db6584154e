"""A meeting as an .ics file for calendars InviteOnce does not write to."""

from __future__ import annotations

from datetime import datetime

from ..core.meeting import Meeting
from ..core.profile import Profile
from ..services.ics_invite import request_ics


def meeting_ics(meeting: Meeting, profile: Profile | None, stamp: datetime) -> bytes:
    organizer = (profile.name, profile.email) if profile else ("InviteOnce", "organizer@invalid")
    return request_ics(
        uid=meeting.event_uid,
        title=meeting.subject,
        start=meeting.start,
        end=meeting.end,
        organizer=organizer,
        attendees=[(meeting.participant_name, meeting.participant_email)],
        stamp=stamp,
        method="PUBLISH",
    )
