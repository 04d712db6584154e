"""What can go wrong for a customer link, each answered with its own page.

RelayError
├── LinkNotFound        an unknown token (the same 404 for every one)
├── LinkGone            the invitation was cancelled or has expired (410)
├── AlreadyScheduled    the invitation already has its meeting (409)
├── SlotTaken           the chosen time was taken meanwhile (409)
└── CalendarBusy        the organizer's calendar has become busy at that time (409)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .booking_record import Booking


class RelayError(Exception):
    """A customer-facing outcome that is not a booking."""


class LinkNotFound(RelayError):
    def __init__(self) -> None:
        super().__init__("This link is not known.")


class LinkGone(RelayError):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"This invitation was {reason}."
            if reason == "cancelled"
            else "This invitation has expired."
        )


class AlreadyScheduled(RelayError):
    def __init__(self, booking: Booking) -> None:
        self.booking = booking
        super().__init__("This meeting is already scheduled.")


class SlotTaken(RelayError):
    def __init__(self) -> None:
        super().__init__("That time is no longer available.")


class CalendarBusy(RelayError):
    def __init__(self) -> None:
        super().__init__("That time has just become busy in the organizer's calendar.")
