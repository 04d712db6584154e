"""Wall times resolved as RFC 5545 says, intervals as instants, slots on the clock face."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inviteonce_desktop.core.availability import (
    AvailabilityQuery,
    PoolSchedule,
    ResourceSchedule,
    find_slots,
)
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.core.timezones import clock_label, resolve_wall

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("wall", "tz", "expected"),
    [
        # In the gap: read with the offset before it, i.e. shifted forward by the gap.
        (datetime(2027, 3, 14, 2, 30), NEW_YORK, utc(2027, 3, 14, 7, 30)),
        (datetime(2027, 3, 28, 2, 30), BERLIN, utc(2027, 3, 28, 1, 30)),
        (datetime(2027, 10, 3, 2, 15), LORD_HOWE, utc(2027, 10, 2, 15, 45)),
        # Repeated: the first occurrence.
        (datetime(2027, 11, 7, 1, 30), NEW_YORK, utc(2027, 11, 7, 5, 30)),
        (datetime(2027, 10, 31, 2, 30), BERLIN, utc(2027, 10, 31, 0, 30)),
        (datetime(2027, 4, 4, 1, 45), LORD_HOWE, utc(2027, 4, 3, 14, 45)),
        # Ordinary.
        (datetime(2027, 6, 1, 9, 0), BERLIN, utc(2027, 6, 1, 7, 0)),
    ],
)
def test_a_wall_time_resolves_as_rfc_5545_says(
    wall: datetime, tz: ZoneInfo, expected: datetime
) -> None:
    assert resolve_wall(wall, tz) == expected


def test_intervals_compare_as_instants_not_as_wall_times() -> None:
    start = datetime(2027, 3, 14, 2, 30, tzinfo=NEW_YORK)
    end = datetime(2027, 3, 14, 3, 30, tzinfo=NEW_YORK)
    with pytest.raises(ValidationError):
        Interval(start, end)  # both are 07:30Z
    kept = Interval(start, datetime(2027, 3, 14, 4, 0, tzinfo=NEW_YORK))
    assert (kept.start, kept.end) == (utc(2027, 3, 14, 7, 30), utc(2027, 3, 14, 8))
    autumn = Interval(
        datetime(2027, 11, 7, 1, 30, tzinfo=NEW_YORK),
        datetime(2027, 11, 7, 1, 0, fold=1, tzinfo=NEW_YORK),
    )
    assert autumn.duration == timedelta(minutes=30)


def test_a_repeated_wall_time_is_labelled_with_its_zone() -> None:
    assert clock_label(utc(2027, 11, 7, 5, 30), NEW_YORK) == "01:30 EDT"
    assert clock_label(utc(2027, 11, 7, 6, 30), NEW_YORK) == "01:30 EST"
    assert clock_label(utc(2027, 11, 7, 8, 0), NEW_YORK) == "03:00"
    assert clock_label(utc(2027, 4, 3, 14, 45), LORD_HOWE) == "01:45 UTC+11:00"


def frame(zone_name: str, hours: str, first: date, last: date, interval: int) -> TimeFrame:
    return TimeFrame(
        time_zone=zone_name,
        weekly_hours=WeeklyHours.parse(hours),
        start_date=first,
        end_date=last,
        slot_interval=timedelta(minutes=interval),
        minimum_notice=timedelta(0),
    )


def walls(query: AvailabilityQuery) -> list[str]:
    tz = ZoneInfo(query.time_frame.time_zone)
    return [f"{s.start.astimezone(tz):%d %H:%M}" for s in find_slots(query)]


NOW = utc(2026, 1, 1)


def test_hourly_slots_stay_on_the_hour_through_lord_howes_half_hour_change() -> None:
    # Lord Howe jumps from 02:00 to 02:30 on 2027-10-03.
    day = date(2027, 10, 3)
    query = AvailabilityQuery(
        frame("Australia/Lord_Howe", "Sun 00:00-06:00", day, day, 60),
        timedelta(minutes=60),
        NOW,
        [ResourceSchedule("member:1", "Ann")],
    )
    assert walls(query) == ["03 00:00", "03 01:00", "03 03:00", "03 04:00", "03 05:00"]


def test_touching_ranges_are_one_block() -> None:
    day = date(2027, 6, 1)
    query = AvailabilityQuery(
        frame("Europe/Berlin", "Tue 09:00-12:00,12:00-17:00", day, day, 30),
        timedelta(minutes=60),
        NOW,
        [ResourceSchedule("member:1", "Ann")],
    )
    assert "01 11:30" in walls(query)
    assert len(walls(query)) == 15


def test_whole_days_join_across_midnight() -> None:
    query = AvailabilityQuery(
        frame("Europe/Berlin", "Mon-Sun 00:00-24:00", date(2027, 6, 1), date(2027, 6, 2), 60),
        timedelta(minutes=120),
        NOW,
        [ResourceSchedule("member:1", "Ann")],
    )
    assert "01 23:00" in walls(query)
    assert len(walls(query)) == 47


def test_a_members_hours_join_across_midnight_too() -> None:
    hours = WeeklyHours.parse("Mon-Sun 20:00-24:00; Mon-Sun 00:00-04:00")
    member = ResourceSchedule("member:1", "Ann", (), hours, "Asia/Tokyo")
    query = AvailabilityQuery(
        frame("Asia/Tokyo", "Mon-Sun 00:00-24:00", date(2027, 6, 1), date(2027, 6, 1), 60),
        timedelta(minutes=120),
        NOW,
        [member],
    )
    assert walls(query) == ["01 00:00", "01 01:00", "01 02:00", "01 20:00", "01 21:00", "01 22:00"]


@pytest.mark.parametrize("through_pool", [False, True])
def test_working_hours_25_hours_away_reach_the_frames_edges(through_pool: bool) -> None:
    # Kiritimati is UTC+14, Pago Pago UTC-11: the member's Sunday evening is the
    # frame's Tuesday morning.
    day = date(2027, 6, 1)
    member = ResourceSchedule(
        "member:1", "Sione", (), WeeklyHours.parse("Mon-Sun 00:00-24:00"), "Pacific/Pago_Pago"
    )
    query = AvailabilityQuery(
        frame("Pacific/Kiritimati", "Mon-Sun 00:00-24:00", day, day, 60),
        timedelta(minutes=60),
        NOW,
        [] if through_pool else [member],
        [PoolSchedule("pool:1", "Pool", [member])] if through_pool else [],
    )
    assert len(walls(query)) == 24


def test_working_hours_across_chathams_change_far_from_the_frame() -> None:
    # Chatham (UTC+12:45/+13:45) leaves summer time on 2027-04-04 at 03:45.
    days = (date(2027, 4, 3), date(2027, 4, 4))
    member = ResourceSchedule(
        "member:1", "Aroha", (), WeeklyHours.parse("Mon-Sun 00:00-24:00"), "Pacific/Chatham"
    )
    query = AvailabilityQuery(
        frame("Pacific/Pago_Pago", "Mon-Sun 00:00-24:00", *days, 30),
        timedelta(minutes=30),
        NOW,
        [member],
    )
    assert len(walls(query)) == 96


def test_the_notice_counts_the_fraction_of_a_second() -> None:
    day = date(2027, 6, 1)
    now = datetime(2027, 6, 1, 8, 0, 0, 300000, tzinfo=UTC)
    query = AvailabilityQuery(
        frame("UTC", "Tue 08:00-10:00", day, day, 60),
        timedelta(minutes=60),
        now,
        [ResourceSchedule("member:1", "Ann")],
    )
    assert walls(query) == ["01 09:00"]


@pytest.mark.parametrize("field", ["minimum_notice", "buffer_before", "buffer_after"])
def test_margins_longer_than_a_year_are_refused(field: str) -> None:
    with pytest.raises(ValidationError, match="cannot be longer than 366 days"):
        TimeFrame(time_zone="UTC", rolling_days=7, **{field: timedelta(days=367)})  # type: ignore[arg-type]
