from __future__ import annotations

import icalendar

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.booking_record import Booking
from inviteonce_desktop.relay.ics import booking_uid, event_ics, uid_host
from inviteonce_desktop.relay.offer import Offer, Slot


def offer() -> Offer:
    return Offer(
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


def test_the_event_is_escaped_folded_and_in_utc() -> None:
    uid = booking_uid("salt", 7, "relay")
    text = event_ics(offer(), Booking(7, 1, 1_861_952_400, 1_861_954_200, (), "UTC", 0), uid)
    lines = text.split("\r\n")
    assert "DTSTART:20290101T090000Z" in lines
    assert f"UID:{uid}" in lines
    assert "LOCATION:Room 1\\, floor 2" in lines
    assert any(line.startswith("SUMMARY:Plan\\; review\\, and more") for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)
    assert text.endswith("END:VCALENDAR\r\n")
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["summary"]) == "Plan; review, and more " + "é" * 80 + " with Ann"


def test_a_booking_uid_is_stable_and_differs_between_offers_of_two_relays_on_one_host() -> None:
    assert booking_uid("salt-a", 1, "127.0.0.1") == booking_uid("salt-a", 1, "127.0.0.1")
    assert booking_uid("salt-a", 1, "127.0.0.1") != booking_uid("salt-b", 1, "127.0.0.1")
    assert booking_uid("salt-a", 1, "h").endswith("-1@h")
    assert uid_host("https://book.example.com:8443/base") == "book.example.com"
