"""Small read-only questions the desktop window asks that the facade does not answer itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.errors import DomainError
from ..store.activity import Meetings

if TYPE_CHECKING:
    from .facade import InviteOnce

NETWORK_MESSAGE = "The network cannot be reached; try again when you are back online."


def user_message(error: BaseException) -> str | None:
    """The one sentence to show for an expected failure, or None when *error* is a bug.

    Expected failures are a user's mistake (a DomainError) and the outside world
    (a calendar, the mail server, the relay, the network); their messages are
    already written for people and never carry secrets.
    """
    if isinstance(error, DomainError):
        return str(error)
    from ..services.calendars.errors import CalendarError
    from ..services.mail import MailError
    from ..services.relay_client import RelayClientError

    if isinstance(error, CalendarError | MailError | RelayClientError):
        return str(error) or NETWORK_MESSAGE
    if isinstance(error, ConnectionError | TimeoutError):
        return NETWORK_MESSAGE
    if isinstance(error, OSError):
        reason = error.strerror or "an operating system error"
        return f"The operation failed: {reason}."
    return None


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
