from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.booking_record import Booking
from inviteonce_desktop.relay.calendar_links import google_url, outlook_url
from inviteonce_desktop.relay.offer import Offer, Slot

START = int(datetime(2029, 3, 25, 0, 30, tzinfo=UTC).timestamp())


def _offer() -> Offer:
    return Offer(
        subject="Plan & build, phase 2",
        duration_minutes=60,
        organizer_name="Ann",
        meeting_type=MeetingType.PHONE,
        location="Room 1; floor 2",
        time_zone="Europe/Paris",
        time_zone_conversion=TimeZoneConversion.CUSTOMER,
        fixed_time_zone=None,
        expires_at=START,
        slots=(Slot(START, START + 3600),),
    )


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_web_links_carry_the_meetings_fields_in_utc() -> None:
    booking = Booking(1, 1, START, START + 3600, ("ann",), "Asia/Tokyo", START - 60)
    google = _query(google_url(_offer(), booking))
    assert google["dates"] == ["20290325T003000Z/20290325T013000Z"]
    assert google["text"] == ["Plan & build, phase 2 with Ann"]
    assert google["location"] == ["Room 1; floor 2"]
    outlook = outlook_url(_offer(), booking)
    assert outlook.startswith("https://outlook.live.com/")
    assert _query(outlook)["startdt"] == ["2029-03-25T00:30:00Z"]
    assert outlook_url(_offer(), booking, work=True).startswith("https://outlook.office.com/")
