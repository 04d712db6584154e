from __future__ import annotations

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.booking_record import Booking
from inviteonce_desktop.relay.ics import event_ics
from inviteonce_desktop.relay.offer import Offer, Slot


def test_the_event_is_escaped_folded_and_in_utc() -> None:
    offer = Offer(
        "Plan; review, and more " + "é" * 80,
        30,
        "Ann",
        MeetingType.IN_PERSON,
        "Room 1, floor 2",
        "UTC",
        TimeZoneConversion.CUSTOMER,
        None,
        0,
        (Slot(0, 1800),),
    )
    text = event_ics(offer, Booking(7, 1, 1_861_952_400, 1_861_954_200, (), "UTC", 0), "relay")
    lines = text.split("\r\n")
    assert "DTSTART:20290101T090000Z" in lines
    assert "UID:booking-7@relay" in lines
    assert "LOCATION:Room 1\\, floor 2" in lines
    assert any(line.startswith("SUMMARY:Plan\\; review\\, and more") for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)
    assert text.endswith("END:VCALENDAR\r\n")
