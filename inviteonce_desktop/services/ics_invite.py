"""iCalendar requests (METHOD:REQUEST) for confirmation emails and downloads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..core.timezones import to_utc


def request_ics(
    *,
    uid: str,
    title: str,
    start: datetime,
    end: datetime,
    organizer: tuple[str, str],
    attendees: Sequence[tuple[str, str]],
    stamp: datetime,
    description: str = "",
    location: str = "",
    sequence: int = 0,
    method: str = "REQUEST",
) -> bytes:
    """A calendar with one event; ``organizer`` and ``attendees`` are (name, email)."""
    import icalendar  # by the first invitation written, not at start

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//InviteOnce//InviteOnce Desktop//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", to_utc(stamp))
    event.add("dtstart", to_utc(start))
    event.add("dtend", to_utc(end))
    event.add("summary", title)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    name, email = organizer
    event.add("organizer", icalendar.vCalAddress(f"mailto:{email}"), parameters={"CN": name})
    for attendee_name, attendee_email in attendees:
        event.add(
            "attendee",
            icalendar.vCalAddress(f"mailto:{attendee_email}"),
            parameters={
                "CN": attendee_name,
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "TRUE",
            },
        )
    calendar.add_component(event)
    return bytes(calendar.to_ical())
