"""An iCalendar file for the customer's "Add to calendar" link."""

from __future__ import annotations

from datetime import UTC, datetime

from .booking_record import Booking
from .offer import Offer


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a leading space (RFC 5545)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    while data:
        cut = min(len(data), 75 if not parts else 74)
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    return "\r\n ".join(parts)


def _stamp(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(offer: Offer, booking: Booking, host: str) -> str:
    summary = f"{offer.subject} with {offer.organizer_name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//InviteOnce//Relay//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:booking-{booking.id}@{host}",
        f"DTSTAMP:{_stamp(booking.booked_at)}",
        f"DTSTART:{_stamp(booking.start)}",
        f"DTEND:{_stamp(booking.end)}",
        f"SUMMARY:{_escape(summary)}",
    ]
    if offer.location:
        lines.append(f"LOCATION:{_escape(offer.location)}")
    lines += [
        f"DESCRIPTION:{_escape(offer.meeting_type.label + ' with ' + offer.organizer_name)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
