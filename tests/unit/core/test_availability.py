from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from inviteonce_desktop.core.availability import (
    AvailabilityQuery,
    PoolSchedule,
    ResourceSchedule,
    count_slots,
    explain_no_slots,
    find_slots,
)
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.core.timeframe import TimeFrame

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def frame(**changes: object) -> TimeFrame:
    values: dict[str, object] = {
        "time_zone": "Europe/Berlin",
        "weekly_hours": WeeklyHours.business(),
        "start_date": date(2026, 11, 2),
        "end_date": date(2026, 11, 2),
        "minimum_notice": timedelta(0),
    }
    values.update(changes)
    return TimeFrame(**values)  # type: ignore[arg-type]


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 2, hour, minute, tzinfo=UTC)  # 09:00 Berlin is 08:00 UTC


def test_an_empty_calendar_fills_the_hours_on_the_grid() -> None:
    query = AvailabilityQuery(
        frame(), timedelta(minutes=30), NOW, [ResourceSchedule("member:1", "Ann")]
    )
    starts = [s.start for s in find_slots(query)]
    assert starts[0] == at(8) and starts[-1] == at(15, 30) and len(starts) == 16


def test_busy_time_and_buffers_block_neighbouring_slots() -> None:
    busy = [Interval(at(10), at(11))]
    member = ResourceSchedule("member:1", "Ann", busy)
    query = AvailabilityQuery(
        frame(buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=15)),
        timedelta(minutes=30),
        NOW,
        [member],
    )
    starts = {s.start for s in find_slots(query)}
    assert at(9) in starts  # ends 09:30 UTC, +15 min after = 09:45 < 10:00
    assert at(9, 30) not in starts and at(10, 30) not in starts and at(11) not in starts
    assert at(11, 30) in starts


def test_a_pool_needs_one_free_member_and_names_them() -> None:
    rooms = [
        ResourceSchedule("room:1", "Alder", [Interval(at(8), at(12))]),
        ResourceSchedule("room:2", "Birch", [Interval(at(10), at(16))]),
    ]
    query = AvailabilityQuery(
        frame(),
        timedelta(minutes=60),
        NOW,
        [ResourceSchedule("member:1", "Ann")],
        [PoolSchedule("pool:1", "Rooms", rooms)],
    )
    slots = {s.start: s.pool_choices["pool:1"] for s in find_slots(query)}
    assert slots[at(8)] == ("room:2",)
    assert slots[at(14)] == ("room:1",)
    assert at(10) not in slots and at(11) not in slots  # both rooms busy 10:00-12:00


def test_minimum_notice_removes_early_slots() -> None:
    query = AvailabilityQuery(
        frame(minimum_notice=timedelta(hours=4)),
        timedelta(minutes=30),
        at(6),
        [ResourceSchedule("member:1", "Ann")],
    )
    assert find_slots(query)[0].start == at(10)


def test_member_working_hours_in_their_own_zone() -> None:
    new_york = ResourceSchedule(
        "member:2",
        "Bo",
        working_hours=WeeklyHours.business("09:00", "17:00"),
        time_zone="America/New_York",
    )
    query = AvailabilityQuery(frame(), timedelta(minutes=30), NOW, [new_york])
    starts = [s.start for s in find_slots(query)]
    assert starts[0] == at(14)  # 09:00 in New York is 14:00 UTC in November


def test_zero_slots_name_the_member_with_no_free_time() -> None:
    blocked = ResourceSchedule("member:1", "Ann", [Interval(at(0), at(23))])
    free = ResourceSchedule("room:1", "Alder")
    query = AvailabilityQuery(frame(), timedelta(minutes=30), NOW, [blocked, free])
    assert count_slots(query) == 0
    assert explain_no_slots(query) == "Ann has no free time in the time frame."


def test_zero_slots_because_the_frame_is_too_short() -> None:
    query = AvailabilityQuery(
        frame(weekly_hours=WeeklyHours.business("09:00", "09:20")),
        timedelta(minutes=30),
        NOW,
        [ResourceSchedule("member:1", "Ann")],
    )
    assert explain_no_slots(query) == (
        "The meeting (30 min) is longer than every stretch of weekly hours (the longest is 20 min)."
    )


def test_rolling_days_start_today_in_the_frames_zone() -> None:
    rolling = TimeFrame(
        "Pacific/Chatham", WeeklyHours.business(), rolling_days=1, minimum_notice=timedelta(0)
    )
    assert rolling.dates(datetime(2026, 11, 2, 12, tzinfo=UTC)) == (
        date(2026, 11, 3),
        date(2026, 11, 3),
    )


def test_busy_time_off_the_minute_blocks_every_slot_it_touches() -> None:
    # 10:59:00.5 to 11:00:00.5 UTC overlaps both the 10:30 and the 11:00 slot.
    busy = [Interval(at(10, 59) + timedelta(seconds=0.5), at(11) + timedelta(seconds=0.5))]
    query = AvailabilityQuery(
        frame(), timedelta(minutes=30), NOW, [ResourceSchedule("member:1", "Ann", busy)]
    )
    starts = {s.start for s in find_slots(query)}
    assert at(10) in starts and at(11, 30) in starts
    assert at(10, 30) not in starts and at(11) not in starts


def test_a_sliver_of_busy_time_across_a_slot_bound_blocks_both_slots() -> None:
    # 10:29:59.5-10:30:00.000001 touches the slot ending 10:30 and the one starting then;
    # a bound on a whole minute touches only one side.
    sliver = Interval(at(10, 29) + timedelta(seconds=59.5), at(10, 30) + timedelta(microseconds=1))
    whole = Interval(at(13), at(13, 30))
    query = AvailabilityQuery(
        frame(), timedelta(minutes=30), NOW, [ResourceSchedule("member:1", "Ann", [sliver, whole])]
    )
    starts = {s.start for s in find_slots(query)}
    assert at(10) not in starts and at(10, 30) not in starts
    assert at(9, 30) in starts and at(11) in starts
    assert at(12, 30) in starts and at(13) not in starts and at(13, 30) in starts


def test_a_long_stretch_of_busy_time_is_skipped_to_its_first_free_minute() -> None:
    # Back-to-back meetings of several people cover 08:00-14:10 UTC; the first slot that
    # fits after them, with a 20-minute buffer before, starts at 14:30.
    busy = [Interval(at(8 + h), at(9 + h, 5)) for h in range(6)]
    member = ResourceSchedule("member:1", "Ann", busy)
    other = ResourceSchedule("member:2", "Bo", [Interval(at(13, 50), at(14, 10))])
    query = AvailabilityQuery(
        frame(buffer_before=timedelta(minutes=20)), timedelta(minutes=30), NOW, [member, other]
    )
    assert [s.start for s in find_slots(query)][:2] == [at(14, 30), at(15)]
    assert count_slots(query) == 3  # 14:30, 15:00, 15:30 (the hours end 16:00 UTC)
