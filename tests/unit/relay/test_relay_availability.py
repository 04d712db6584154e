from __future__ import annotations

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.availability import busy_keys, choose_keys, free_slots, minutes
from inviteonce_desktop.relay.offer import Offer, Slot


def test_required_keys_and_one_distinct_member_per_pool() -> None:
    slot = Slot(0, 1800, ("ann",), (("r1", "r2"), ("r1", "r2", "r3")))
    assert choose_keys(slot, set()) == ("ann", "r1", "r2")
    assert choose_keys(slot, {"r1"}) == ("ann", "r2", "r3")
    assert choose_keys(slot, {"r1", "r2"}) is None
    assert choose_keys(slot, {"ann"}) is None


def test_busy_keys_are_those_held_during_the_slot() -> None:
    slot = Slot(3600, 5400, ("ann", "bob"))
    busy = {"ann": [(0, 3600)], "bob": [(5000, 6000)]}
    assert busy_keys(slot, busy) == {"bob"}


def test_free_slots_skip_the_past_and_the_held() -> None:
    offer = Offer(
        "S",
        30,
        "Ann",
        MeetingType.VIDEO,
        "",
        "UTC",
        TimeZoneConversion.CUSTOMER,
        None,
        10**9,
        (Slot(0, 1800, ("ann",)), Slot(3600, 5400, ("ann",)), Slot(7200, 9000, ("ann",))),
    )
    assert [s.start for s in free_slots(offer, {"ann": [(3000, 4000)]}, now=100)] == [7200]


def test_minutes_cover_every_minute_touched() -> None:
    assert list(minutes(0, 120)) == [0, 1]
    assert list(minutes(30, 90)) == [0, 1]
