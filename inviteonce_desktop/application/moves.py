"""The organizer moves a booked meeting to another free slot of its invitation.

The relay moves the booking with the same guarded transaction a customer's
reschedule uses; the desktop then applies the change as it applies one from
the feed (the feed's copy of it is then recognised and skipped).
"""

from __future__ import annotations

from datetime import datetime

from ..core.errors import ValidationError
from ..core.meeting import Meeting, MeetingStatus
from ..core.timezones import require_aware
from ..services.relay_client import RelayRejected
from ..store.activity import Meetings
from .bookings import BookingService
from .changes import ORGANIZER, MeetingUpdates
from .relay_host import RelayHost


class MeetingMoves:
    def __init__(self, relay: RelayHost, bookings: BookingService) -> None:
        self._relay = relay
        self._bookings = bookings

    def _booking_id(self, meeting_id: int) -> tuple[Meeting, int]:
        with self._bookings.workspace.session() as session:
            meetings = Meetings(session)
            meeting = meetings.get(meeting_id)
            booking_id = meetings.booking_id(meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(f"Meeting {meeting_id} is cancelled; it cannot be moved.")
        if booking_id is None or not booking_id.isdigit():
            raise ValidationError(
                f"Meeting {meeting_id} was not booked through the relay; it cannot be moved here."
            )
        return meeting, int(booking_id)

    async def options(self, meeting_id: int) -> list[tuple[datetime, datetime]]:
        """The free slots of the meeting's invitation it can move to, as the relay sees them."""
        _meeting, booking_id = self._booking_id(meeting_id)
        async with self._relay.client() as client:
            try:
                return await client.move_options(booking_id)
            except RelayRejected as rejected:
                raise ValidationError(str(rejected)) from None

    async def move(self, meeting_id: int, start: datetime) -> Meeting:
        """Moves the meeting to the free slot starting at *start*; the customer is told."""
        require_aware(start, "new start")
        meeting, booking_id = self._booking_id(meeting_id)
        if start == meeting.start:
            raise ValidationError(f"Meeting {meeting_id} is at that time already.")
        async with self._relay.client() as client:
            try:
                moved = await client.move(booking_id, start)
            except RelayRejected as rejected:
                if rejected.code == "slot_taken":
                    raise ValidationError(
                        "That time is not one of the invitation's free slots; "
                        f"see: inviteonce meetings move {meeting_id}"
                    ) from None
                raise ValidationError(str(rejected)) from None
        applied = await MeetingUpdates(self._bookings).apply(moved, ORGANIZER)
        return applied if applied is not None else meeting
