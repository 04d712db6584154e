"""The engine against a brute-force oracle that walks the time frame minute by minute.

The oracle knows nothing of the engine's binary searches or offset pieces: it
asks each minute for its wall time in the zone, and each slot for every minute
it would occupy. Weekly hours are blocks of wall time (ranges that touch are one
block, across midnight too); a slot starts at a minute whose wall time is the
block's start plus whole slot intervals, and every minute of it has its wall
time in that block.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inviteonce_desktop.core.availability import (
    AvailabilityQuery,
    HeldBooking,
    PoolSchedule,
    ResourceSchedule,
    count_slots,
    find_slots,
)
from inviteonce_desktop.core.hours import TimeRange, Weekday, WeeklyHours
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.core.timeframe import TimeFrame

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
]
MINUTE = timedelta(minutes=1)


@cache
def transition_days(zone_name: str) -> list[date]:
    """Days of 2026 on which the zone's offset at noon differs from the day before."""
    tz = ZoneInfo(zone_name)
    days = []
    previous = None
    day = date(2026, 1, 1)
    while day.year == 2026:
        offset = datetime(day.year, day.month, day.day, 12, tzinfo=tz).utcoffset()
        if previous is not None and offset != previous:
            days.append(day)
        previous = offset
        day += timedelta(days=1)
    return days or [date(2026, 3, 15)]


def minutes_of(text_minutes: int) -> int:
    return text_minutes


@st.composite
def weekly_hours(draw: st.DrawFn) -> WeeklyHours:
    days: dict[Weekday, tuple[TimeRange, ...]] = {}
    for day in Weekday:
        kind = draw(st.sampled_from(["none", "early", "office", "split", "whole"]))
        if kind == "early":
            start = draw(st.sampled_from([0, 30, 60, 90, 120, 150]))
            days[day] = (TimeRange(start, start + draw(st.sampled_from([60, 150, 240]))),)
        elif kind == "office":
            days[day] = (TimeRange(9 * 60, 17 * 60),)
        elif kind == "split":
            days[day] = (TimeRange(60, 165), TimeRange(165, 300), TimeRange(22 * 60, 1440))
        elif kind == "whole":
            days[day] = (TimeRange(0, 1440),)
    return WeeklyHours(days)


@st.composite
def queries(draw: st.DrawFn) -> AvailabilityQuery:
    zone_name = draw(st.sampled_from(ZONES))
    pivot = draw(st.sampled_from(transition_days(zone_name)))
    first = pivot - timedelta(days=draw(st.integers(0, 1)))
    last = first + timedelta(days=draw(st.integers(0, 2)))
    frame = TimeFrame(
        time_zone=zone_name,
        weekly_hours=draw(weekly_hours()),
        start_date=first,
        end_date=last,
        slot_interval=timedelta(minutes=draw(st.sampled_from([5, 15, 20, 30, 45]))),
        minimum_notice=timedelta(minutes=draw(st.sampled_from([0, 90, 600]))),
        buffer_before=timedelta(minutes=draw(st.sampled_from([0, 5, 15]))),
        buffer_after=timedelta(minutes=draw(st.sampled_from([0, 10, 30]))),
    )
    origin = datetime(first.year, first.month, first.day, tzinfo=UTC) - timedelta(hours=14)
    span_minutes = (last - first).days * 1440 + 1440 + 28 * 60
    now = origin + timedelta(minutes=draw(st.integers(0, 24 * 60)))

    def busy() -> list[Interval]:
        result = []
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, span_minutes))
            length = draw(st.integers(1, 240))
            result.append(
                Interval(
                    origin + timedelta(minutes=start), origin + timedelta(minutes=start + length)
                )
            )
        return result

    def resource(key: str) -> ResourceSchedule:
        hours = draw(st.none() | weekly_hours())
        own_zone = draw(st.none() | st.sampled_from(ZONES))
        return ResourceSchedule(key, key, busy(), hours, own_zone if hours else None)

    required = [resource(f"member:{i}") for i in range(draw(st.integers(1, 2)))]
    required += [resource(f"room:{i}") for i in range(draw(st.integers(0, 1)))]
    pools = [
        PoolSchedule(f"pool:{p}", f"pool {p}", [resource(f"room:{p}{i}") for i in range(3)])
        for p in range(draw(st.integers(0, 1)))
    ]
    bookings = []
    if draw(st.booleans()):
        start = origin + timedelta(minutes=draw(st.integers(0, span_minutes)))
        key = draw(st.sampled_from([r.key for r in required]))
        bookings.append(
            HeldBooking(Interval(start, start + timedelta(minutes=45)), frozenset({key}))
        )
    duration = timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90])))
    return AvailabilityQuery(frame, duration, now, required, pools, bookings)


# The oracle


def wall_blocks(hours: WeeklyHours, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """Naive wall-time blocks of *hours* on first..last, ranges that touch joined."""
    blocks: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        for hours_range in sorted(hours.ranges(day.weekday())):
            a = datetime(day.year, day.month, day.day) + timedelta(minutes=hours_range.start_minute)
            b = datetime(day.year, day.month, day.day) + timedelta(minutes=hours_range.end_minute)
            if blocks and a <= blocks[-1][1]:
                blocks[-1] = (blocks[-1][0], max(b, blocks[-1][1]))
            else:
                blocks.append((a, b))
        day += timedelta(days=1)
    return blocks


def block_of(
    instant: datetime, blocks: list[tuple[datetime, datetime]], tz: ZoneInfo
) -> tuple[datetime, datetime] | None:
    wall = instant.astimezone(tz).replace(tzinfo=None, fold=0)
    for block in blocks:
        if block[0] <= wall < block[1]:
            return block
    return None


def in_hours(instant: datetime, hours: WeeklyHours, tz: ZoneInfo) -> bool:
    local = instant.astimezone(tz).date()
    blocks = wall_blocks(hours, local - timedelta(days=1), local + timedelta(days=1))
    return block_of(instant, blocks, tz) is not None


def oracle_candidates(query: AvailabilityQuery) -> list[datetime]:
    frame = query.time_frame
    tz = ZoneInfo(frame.time_zone)
    assert frame.start_date and frame.end_date
    blocks = wall_blocks(frame.weekly_hours, frame.start_date, frame.end_date)
    # Each minute's block is asked for again by every slot that covers it: answered once.
    frame_block = cache(lambda instant: block_of(instant, blocks, tz))
    t = datetime(frame.start_date.year, frame.start_date.month, frame.start_date.day, tzinfo=UTC)
    t -= timedelta(hours=15)
    stop = datetime(frame.end_date.year, frame.end_date.month, frame.end_date.day, tzinfo=UTC)
    stop += timedelta(days=1, hours=15)
    step = frame.slot_interval
    earliest = query.now + frame.minimum_notice
    result = []
    minutes = int(query.duration / MINUTE)
    while t < stop:
        block = frame_block(t) if t >= earliest else None
        if block is not None:
            wall = t.astimezone(tz).replace(tzinfo=None)
            on_step = (wall - block[0]) % step == timedelta(0)
            if on_step and all(frame_block(t + k * MINUTE) == block for k in range(minutes)):
                result.append(t)
        t += MINUTE
    return result


def minute_free(resource: ResourceSchedule, t: datetime, held: list[Interval]) -> bool:
    return not any(i.start <= t < i.end for i in [*resource.busy, *held])


class Minutes:
    """One resource's questions of one minute (free? in its hours?) for one query, each
    minute answered once however many slots cover it."""

    def __init__(self, resource: ResourceSchedule, query: AvailabilityQuery) -> None:
        held = [b.interval for b in query.bookings if resource.key in b.resource_keys]
        self.free = cache(lambda t: minute_free(resource, t, held))
        hours = resource.working_hours
        tz = ZoneInfo(resource.time_zone or query.time_frame.time_zone)
        self.in_hours = cache(lambda t: hours is None or in_hours(t, hours, tz))


def resource_free(minutes: Minutes, start: datetime, query: AvailabilityQuery) -> bool:
    frame = query.time_frame
    t = start - frame.buffer_before
    while t < start + query.duration + frame.buffer_after:
        if not minutes.free(t):
            return False
        t += MINUTE
    t = start
    while t < start + query.duration:
        if not minutes.in_hours(t):
            return False
        t += MINUTE
    return True


def oracle(query: AvailabilityQuery) -> dict[datetime, dict[str, tuple[str, ...]]]:
    required = [Minutes(r, query) for r in query.required]
    pools = [(pool, [(m, Minutes(m, query)) for m in pool.members]) for pool in query.pools]
    result = {}
    for start in oracle_candidates(query):
        if not all(resource_free(r, start, query) for r in required):
            continue
        choices = {
            pool.key: tuple(m.key for m, minutes in members if resource_free(minutes, start, query))
            for pool, members in pools
        }
        if all(choices.values()):
            result[start] = choices
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_engine_matches_the_minute_by_minute_oracle(query: AvailabilityQuery) -> None:
    expected = oracle(query)
    slots = find_slots(query)
    assert {s.start: dict(s.pool_choices) for s in slots} == expected
    assert [s.start for s in slots] == sorted(expected)
    assert all(s.end - s.start == query.duration for s in slots)
    assert count_slots(query) == len(expected)
