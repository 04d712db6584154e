from __future__ import annotations

import json
from typing import Any

import pytest

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.offer import Offer
from inviteonce_desktop.relay.offer_parsing import MalformedBody
from inviteonce_desktop.relay.offer_parsing import parse_offer as parse_raw


def parse_offer(body: object) -> Offer:
    return parse_raw(json.dumps(body).encode())


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
        ({"meeting_type": "telepathy"}, "meeting_type"),
        ({"subject": "a\nb"}, "line breaks"),
        ({"subject": "a\u0000b"}, "control characters"),
        ({"subject": "   "}, "empty"),
        ({"promoted": ["2029-01-02T09:30:00Z"]}, "not one of the slots"),
        ({"duration_minutes": True}, "duration"),
        ({"duration_minutes": 2**70}, "duration"),
        ({"surprise": 1}, "Unknown field"),
        ({"expires_at": "9999-12-31T23:59:00-01:00"}, "between 2000 and 2999"),
        (
            {"slots": [{"start": "1969-12-31T23:00:00Z", "end": "1969-12-31T23:30:00Z"}]},
            "between 2000 and 2999",
        ),
        (
            {
                "slots": [
                    {
                        "start": "2029-01-01T08:00:00Z",
                        "end": "2029-01-01T08:30:00Z",
                        "resources": ["a\u0000b"],
                    }
                ]
            },
            "printable ASCII",
        ),
        ({"minimum_notice_minutes": -1}, "minimum_notice_minutes"),
        ({"buffer_before_minutes": 10**6}, "buffer_before_minutes"),
        (
            {
                "slots": [
                    {"start": "2029-01-01T08:00:00Z", "end": "2029-01-01T08:30:00Z", "pools": [[]]}
                ]
            },
            "length >= 1",
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


@pytest.mark.parametrize(
    "raw",
    [b"[" * 5000, b"{" * 5000, b"", b"\xff\xfe", b'"offer"', b"[]", b"null", b"1e999999"],
)
def test_bodies_that_are_not_an_offer_object_are_refused_at_the_door(raw: bytes) -> None:
    with pytest.raises(MalformedBody):
        parse_raw(raw)


def test_notice_and_buffers_are_carried_in_seconds() -> None:
    offer = parse_offer(
        _body(minimum_notice_minutes=240, buffer_before_minutes=15, buffer_after_minutes=10)
    )
    assert (offer.notice, offer.buffer_before, offer.buffer_after) == (14400, 900, 600)
    assert Offer.from_json(offer.to_json()) == offer
