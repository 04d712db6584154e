from __future__ import annotations

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.availability import (
    Held,
    bookable,
    busy_keys,
    choose_keys,
    free_slots,
    minutes,
)
from inviteonce_desktop.relay.offer import Offer, Slot

MINUTE = 60


def _offer(*slots: Slot, notice: int = 0, before: int = 0, after: int = 0) -> Offer:
    return Offer(
        "S",
        30,
        "Ann",
        MeetingType.VIDEO,
        "",
        "UTC",
        TimeZoneConversion.CUSTOMER,
        None,
        10**9,
        slots,
        notice=notice,
        buffer_before=before,
        buffer_after=after,
    )


def _held(start: int, end: int, before: int = 0, after: int = 0) -> Held:
    return Held(start, end, start - before, end + after)


def test_required_keys_and_one_distinct_member_per_pool() -> None:
    slot = Slot(0, 1800, ("ann",), (("r1", "r2"), ("r1", "r2", "r3")))
    assert choose_keys(slot, set()) == ("ann", "r1", "r2")
    assert choose_keys(slot, {"r1"}) == ("ann", "r2", "r3")
    assert choose_keys(slot, {"r1", "r2"}) is None
    assert choose_keys(slot, {"ann"}) is None


def test_members_being_booked_elsewhere_are_chosen_last() -> None:
    slot = Slot(0, 1800, (), (("r1", "r2", "r3"),))
    assert choose_keys(slot, set(), skip=frozenset({"r1"})) == ("r2",)
    assert choose_keys(slot, {"r2", "r3"}, skip=frozenset({"r1"})) == ("r1",)


def test_busy_keys_are_those_held_during_the_slot() -> None:
    slot = Slot(3600, 5400, ("ann", "bob"))
    busy = {"ann": [_held(0, 3600)], "bob": [_held(5000, 6000)]}
    assert busy_keys(slot, busy) == {"bob"}


def test_buffers_keep_meetings_apart_from_either_side() -> None:
    # Booked 09:30-10:00 with 15-minute buffers on both sides.
    booked = {"ann": [_held(570 * MINUTE, 600 * MINUTE, 15 * MINUTE, 15 * MINUTE)]}
    at_ten = Slot(600 * MINUTE, 630 * MINUTE, ("ann",))
    at_quarter_past = Slot(615 * MINUTE, 645 * MINUTE, ("ann",))
    # A slot of an offer without buffers still stays out of the booking's buffer.
    assert busy_keys(at_ten, booked) == {"ann"}
    assert busy_keys(at_quarter_past, booked) == set()
    # A slot with its own 15-minute buffer before may touch the booking's buffer.
    assert busy_keys(at_quarter_past, booked, before=15 * MINUTE) == set()
    assert busy_keys(at_quarter_past, booked, before=16 * MINUTE) == {"ann"}
    # And a booking without buffers is kept away by the slot's own buffers.
    plain = {"ann": [_held(570 * MINUTE, 600 * MINUTE)]}
    assert busy_keys(at_ten, plain) == set()
    assert busy_keys(at_ten, plain, before=15 * MINUTE) == {"ann"}


def test_free_slots_skip_the_past_and_the_held() -> None:
    offer = _offer(Slot(0, 1800, ("ann",)), Slot(3600, 5400, ("ann",)), Slot(7200, 9000, ("ann",)))
    busy = {"ann": [_held(3000, 4000)]}
    assert [s.start for s in free_slots(offer, busy, now=100)] == [7200]


def test_slots_inside_the_minimum_notice_are_neither_shown_nor_bookable() -> None:
    slots = [Slot(n * 3600, n * 3600 + 1800, ("ann",)) for n in range(1, 6)]
    offer = _offer(*slots, notice=4 * 3600)
    assert [s.start for s in free_slots(offer, {}, now=0)] == [4 * 3600, 5 * 3600]
    assert not bookable(offer, slots[2], now=0)
    assert bookable(offer, slots[3], now=0)


def test_minutes_cover_every_minute_touched() -> None:
    assert list(minutes(0, 120)) == [0, 1]
    assert list(minutes(30, 90)) == [0, 1]


def test_the_relay_and_the_desktop_agree_on_buffers() -> None:
    from datetime import UTC, date, datetime, timedelta

    from inviteonce_desktop.core.availability import (
        AvailabilityQuery,
        ResourceSchedule,
        find_slots,
    )
    from inviteonce_desktop.core.hours import WeeklyHours
    from inviteonce_desktop.core.intervals import Interval
    from inviteonce_desktop.core.timeframe import TimeFrame

    quarter = timedelta(minutes=15)
    meeting = Interval(
        datetime(2026, 11, 2, 9, 30, tzinfo=UTC), datetime(2026, 11, 2, 10, tzinfo=UTC)
    )
    frame = TimeFrame(
        time_zone="UTC",
        weekly_hours=WeeklyHours.business(),
        start_date=date(2026, 11, 2),
        end_date=date(2026, 11, 2),
        slot_interval=quarter,
        minimum_notice=timedelta(0),
        buffer_before=quarter,
        buffer_after=quarter,
    )
    desktop = find_slots(
        AvailabilityQuery(
            frame,
            timedelta(minutes=30),
            datetime(2026, 11, 1, tzinfo=UTC),
            [ResourceSchedule("ann", "Ann", [meeting])],
        )
    )
    everything = find_slots(
        AvailabilityQuery(
            frame,
            timedelta(minutes=30),
            datetime(2026, 11, 1, tzinfo=UTC),
            [ResourceSchedule("ann", "Ann")],
        )
    )
    start, end = int(meeting.start.timestamp()), int(meeting.end.timestamp())
    offer = _offer(
        *(Slot(int(s.start.timestamp()), int(s.end.timestamp()), ("ann",)) for s in everything),
        before=900,
        after=900,
    )
    relay = free_slots(offer, {"ann": [_held(start, end, 900, 900)]}, now=0)
    assert [s.start for s in relay] == [int(s.start.timestamp()) for s in desktop]
    assert len(relay) < len(everything)
