"""Small read-only questions the desktop window asks that the facade does not answer itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store.activity import Meetings
from .errors import NETWORK_MESSAGE, user_message

if TYPE_CHECKING:
    from .facade import InviteOnce

__all__ = ["NETWORK_MESSAGE", "meeting_calendar_link", "user_message"]

def meeting_calendar_link(app: InviteOnce, meeting_id: int) -> str:
    """Where "Open in calendar" goes: the provider's web link, or an .ics file to import."""
    from ..services.ics_invite import request_ics

    with app.workspace.session() as session:
        meetings = Meetings(session)
        meeting = meetings.get(meeting_id)
        ref = meetings.event_ref(meeting_id) or {}
    web_link = ref.get("web_link")
    if isinstance(web_link, str) and web_link.startswith(("https://", "http://")):
        return web_link
    profile = app.profile()
    organizer = (profile.name, profile.email) if profile else ("InviteOnce", "organizer@invalid")
    data = request_ics(
        uid=meeting.event_uid,
        title=meeting.subject,
        start=meeting.start,
        end=meeting.end,
        organizer=organizer,
        attendees=[(meeting.participant_name, meeting.participant_email)],
        stamp=app.clock.now(),
        method="PUBLISH",
    )
    folder = app.workspace.home / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"meeting-{meeting_id}.ics"
    path.write_bytes(data)
    return path.as_uri()
