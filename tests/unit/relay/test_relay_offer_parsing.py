from __future__ import annotations

from typing import Any

import pytest

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.offer import Offer
from inviteonce_desktop.relay.offer_parsing import parse_offer


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": "  Intro   call ",
        "duration_minutes": 30,
        "organizer_name": "Ann",
        "meeting_type": "phone",
        "location": "",
        "time_zone": "Europe/Paris",
        "time_zone_conversion": "fixed",
        "fixed_time_zone": "Asia/Tokyo",
        "expires_at": "2030-01-01T00:00:30.5+00:00",
        "slots": [
            {
                "start": "2029-01-01T10:30:00+01:00",
                "end": "2029-01-01T11:00:00+01:00",
                "resources": ["a", "a", "b"],
                "pools": [["r1", "r2"]],
            },
            {"start": "2029-01-01T08:00:00Z", "end": "2029-01-01T08:30:00Z"},
        ],
        "promoted": ["2029-01-01T09:30:00Z"],
    }
    body.update(changes)
    return body


def test_a_valid_offer_is_parsed_sorted_and_cleaned() -> None:
    offer = parse_offer(_body())
    assert offer.subject == "Intro call"
    assert offer.meeting_type is MeetingType.PHONE
    assert offer.time_zone_conversion is TimeZoneConversion.FIXED
    assert offer.fixed_zone == "Asia/Tokyo"
    assert [slot.id for slot in offer.slots] == ["20290101T080000Z", "20290101T093000Z"]
    assert offer.slots[1].resources == ("a", "b")
    assert offer.slots[1].pools == (("r1", "r2"),)
    assert offer.promoted == (offer.slots[1].start,)
    assert Offer.from_json(offer.to_json()) == offer


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"slots": [{"start": "2029-01-01T08:00:00", "end": "2029-01-01T08:30:00Z"}]}, "time zone"),
        (
            {"slots": [{"start": "2029-01-01T08:00:10Z", "end": "2029-01-01T08:30:00Z"}]},
            "whole minute",
        ),
        (
            {"slots": [{"start": "2029-01-01T08:30:00Z", "end": "2029-01-01T08:00:00Z"}]},
            "end after",
        ),
        ({"time_zone": "Mars/Olympus"}, "time zone"),
        ({"meeting_type": "telepathy"}, "meeting type"),
        ({"subject": "a\nb"}, "line breaks"),
        ({"subject": "   "}, "empty"),
        ({"promoted": ["2029-01-02T09:30:00Z"]}, "not one of the slots"),
        ({"duration_minutes": True}, "duration"),
        ({"surprise": 1}, "Unknown field"),
        (
            {
                "slots": [
                    {"start": "2029-01-01T08:00:00Z", "end": "2029-01-01T08:30:00Z", "pools": [[]]}
                ]
            },
            "no candidate",
        ),
    ],
)
def test_bad_offers_are_refused_with_a_sentence(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_offer(_body(**changes))


def test_two_slots_at_the_same_time_are_refused() -> None:
    slot = {"start": "2029-01-01T08:00:00Z", "end": "2029-01-01T08:30:00Z"}
    with pytest.raises(ValidationError, match="same time"):
        parse_offer(_body(slots=[slot, dict(slot)], promoted=[]))


def test_customer_zone_follows_the_conversion_setting() -> None:
    fixed = parse_offer(_body())
    customer = parse_offer(_body(time_zone_conversion="customer", fixed_time_zone=None))
    assert fixed.zone_for("America/New_York") == ("Asia/Tokyo", True)
    assert customer.zone_for("America/New_York") == ("America/New_York", True)
    assert customer.zone_for("Nowhere/Land") == ("Europe/Paris", False)
    assert customer.zone_for(None) == ("Europe/Paris", False)
