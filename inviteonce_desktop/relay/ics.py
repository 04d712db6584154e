"""An iCalendar file for the customer's "Add to calendar" link, written by ``icalendar``.

Its UID is the meeting's UID everywhere: the relay hands the same one to the
desktop in the bookings feed, and the desktop puts it on the calendar event and
in the confirmation's REQUEST (and a cancellation's CANCEL), so a customer who
adds the file and accepts the email has one event.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from .booking_record import Booking
from .offer import Offer


def booking_uid(salt: str, booking_id: int, host: str) -> str:
    """The meeting's UID: unique in the world (the offer's random salt), stable for a booking."""
    digest = hashlib.sha256(f"{salt}:{booking_id}".encode()).hexdigest()[:24]
    return f"{digest}-{booking_id}@{host or 'inviteonce.invalid'}"


def uid_host(base_url: str) -> str:
    """The host part of the relay's public URL, without scheme, port or path."""
    return base_url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]


def _instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def event_ics(offer: Offer, booking: Booking, uid: str, sequence: int = 0) -> str:
    import icalendar  # by the first file asked for, not by a worker's start

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//InviteOnce//Relay//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", _instant(booking.booked_at))
    event.add("dtstart", _instant(booking.start))
    event.add("dtend", _instant(booking.end))
    event.add("sequence", sequence)
    event.add("summary", f"{offer.subject} with {offer.organizer_name}")
    if offer.location:
        event.add("location", offer.location)
    event.add("description", f"{offer.meeting_type.label} with {offer.organizer_name}")
    calendar.add_component(event)
    return bytes(calendar.to_ical()).decode("utf-8")
