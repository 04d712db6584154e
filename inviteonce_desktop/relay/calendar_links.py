"""Web "add to calendar" links for a booked meeting, built from its own fields.

The links only open the customer's calendar with the meeting filled in; the
page makes no request to those services itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from .booking_record import Booking
from .offer import Offer

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/action/compose"
OFFICE = "https://outlook.office.com/calendar/0/action/compose"


def summary(offer: Offer) -> str:
    return f"{offer.subject} with {offer.organizer_name}"


def description(offer: Offer) -> str:
    return f"{offer.meeting_type.label} with {offer.organizer_name}"


def _basic(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y%m%dT%H%M%SZ")


def _extended(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def google_url(offer: Offer, booking: Booking) -> str:
    query = {
        "action": "TEMPLATE",
        "text": summary(offer),
        "dates": f"{_basic(booking.start)}/{_basic(booking.end)}",
        "details": description(offer),
        "location": offer.location,
    }
    return f"{GOOGLE}?{urlencode(query)}"


def outlook_url(offer: Offer, booking: Booking, *, work: bool = False) -> str:
    """Outlook on the web: outlook.com, or Microsoft 365 when *work*."""
    query = {
        "rru": "addevent",
        "subject": summary(offer),
        "startdt": _extended(booking.start),
        "enddt": _extended(booking.end),
        "body": description(offer),
        "location": offer.location,
    }
    return f"{OFFICE if work else OUTLOOK}?{urlencode(query)}"
