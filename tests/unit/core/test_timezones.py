from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from inviteonce_desktop.core.errors import UnknownTimeZone
from inviteonce_desktop.core.timezones import (
    WallClock,
    from_utc_seconds,
    wall_seconds,
    zone,
)


def spans(day: date, start: str, end: str, zone_name: str) -> list[tuple[datetime, datetime]]:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    midnight = datetime(day.year, day.month, day.day)
    start = midnight + timedelta(hours=h1, minutes=m1)
    end = midnight + timedelta(hours=h2, minutes=m2)
    raw = WallClock(zone(zone_name), start, end).spans(wall_seconds(start), wall_seconds(end))
    return [(from_utc_seconds(a), from_utc_seconds(b)) for a, b in raw]


def test_an_ordinary_day_maps_to_one_span() -> None:
    assert spans(date(2026, 6, 1), "09:00", "17:00", "Europe/Berlin") == [
        (datetime(2026, 6, 1, 7, tzinfo=UTC), datetime(2026, 6, 1, 15, tzinfo=UTC))
    ]


def test_the_spring_gap_shortens_the_span() -> None:
    # Berlin jumps from 02:00 to 03:00 on 2026-03-29: 01:00-04:00 lasts two hours.
    [(start, end)] = spans(date(2026, 3, 29), "01:00", "04:00", "Europe/Berlin")
    assert (start, end) == (
        datetime(2026, 3, 29, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 2, tzinfo=UTC),
    )


def test_a_range_inside_the_gap_is_empty() -> None:
    assert spans(date(2026, 3, 29), "02:00", "03:00", "Europe/Berlin") == []


def test_the_autumn_overlap_lengthens_the_span() -> None:
    # Berlin repeats 02:00-03:00 on 2026-10-25: 01:00-03:00 lasts three hours.
    [(start, end)] = spans(date(2026, 10, 25), "01:00", "03:00", "Europe/Berlin")
    assert end - start == timedelta(hours=3)


def test_a_range_ending_inside_the_overlap_splits_in_two() -> None:
    result = spans(date(2026, 10, 25), "01:00", "02:30", "Europe/Berlin")
    assert result == [
        (datetime(2026, 10, 24, 23, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (datetime(2026, 10, 25, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ]


def test_lord_howe_moves_by_half_an_hour() -> None:
    # Lord Howe leaves +11:00 for +10:30 at 02:00 on 2026-04-05; 01:30-02:00 happens twice.
    [(start, end)] = spans(date(2026, 4, 5), "01:00", "03:00", "Australia/Lord_Howe")
    assert end - start == timedelta(hours=2, minutes=30)


@pytest.mark.parametrize(
    ("zone_name", "utc_hour", "utc_minute"),
    [("Asia/Kathmandu", 3, 15), ("Pacific/Chatham", 20, 15), ("Asia/Kolkata", 3, 30)],
)
def test_offsets_of_thirty_and_forty_five_minutes(
    zone_name: str, utc_hour: int, utc_minute: int
) -> None:
    [(start, _)] = spans(date(2026, 6, 2), "09:00", "10:00", zone_name)
    assert (start.hour, start.minute) == (utc_hour, utc_minute)


def test_the_end_of_the_day_is_midnight_next_day() -> None:
    [(start, end)] = spans(date(2026, 6, 1), "00:00", "24:00", "Asia/Kathmandu")
    assert end - start == timedelta(hours=24)


@pytest.mark.parametrize("name", ["Mars/Base", "", " Europe/Berlin", "../etc/passwd"])
def test_unknown_zones_are_refused_in_one_sentence(name: str) -> None:
    with pytest.raises(UnknownTimeZone, match=r"time zone"):
        zone(name)


@pytest.mark.parametrize("zone_name", ["Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham"])
def test_a_year_long_wall_clock_agrees_with_each_day_on_its_own(zone_name: str) -> None:
    # Both clock changes of the year lie inside the clock's stretch, and its first and
    # last day have the same offset: the offsets must still be found day by day.
    tz = zone(zone_name)
    first = datetime(2026, 1, 1)
    clock = WallClock(tz, first, first + timedelta(days=365))
    for day in range(365):
        for start, end in [(1, 4), (0, 24), (22, 26)]:
            a = first + timedelta(days=day, hours=start)
            b = first + timedelta(days=day, hours=end)
            if b > first + timedelta(days=365):
                continue
            day_clock = WallClock(tz, a, b)
            wall_a, wall_b = wall_seconds(a), wall_seconds(b)
            assert clock.spans(wall_a, wall_b) == day_clock.spans(wall_a, wall_b)
            assert clock.grid(wall_a, wall_b, 1800) == day_clock.grid(wall_a, wall_b, 1800)


def test_a_wall_clock_refuses_wall_time_outside_its_stretch() -> None:
    clock = WallClock(zone("Europe/Berlin"), datetime(2026, 3, 1), datetime(2026, 3, 2))
    with pytest.raises(ValueError, match="outside"):
        clock.spans(wall_seconds(datetime(2026, 3, 1, 23)), wall_seconds(datetime(2026, 3, 2, 1)))
