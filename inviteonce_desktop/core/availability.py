"""The availability engine: which slots a customer may book.

A slot [start, start + duration) is offered when
- it lies inside one block of the time frame's weekly hours, where ranges that
  touch or overlap (``09:00-12:00,12:00-17:00``, or ``00:00-24:00`` on
  consecutive days) form one block,
- its start is on the wall clock of the frame's zone: a wall time that is the
  block's start plus a whole number of slot intervals (a wall time the clocks
  skip offers nothing; one they repeat offers both instants),
- it starts at or after now + minimum notice,
- every required resource (team member or room) is free over
  [start - buffer before, end + buffer after) and inside one block of its own
  working hours (wall time of its own zone, blocks joined the same way); time
  whose busy state is unknown (a calendar that could not be read) is not free,
- every resource pool has at least one such free member,
- no held booking takes one of those resources over that span.

Internally each resource's busy time becomes a bitmap of blocked minutes over
the frame (slot bounds fall on whole minutes), so building is linear in the
busy time and a probe is one C-level scan of a slot's minutes; where the
required resources are busy, the scan jumps to their next free minute rather
than probing each slot in between. The zone's offsets are found once for the
frame, and blocks of wall time become instants by integer arithmetic.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import chain

from .frame_rules import empty_frame_reason
from .hours import WeeklyHours
from .intervals import Interval
from .timeframe import TimeFrame
from .timezones import (
    WallClock,
    from_utc_seconds,
    require_aware,
    zone,
)
from .validation import validate_duration

_DAY = timedelta(days=1)
_MINUTE = timedelta(minutes=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True, slots=True)
class ResourceSchedule:
    """What the engine knows of one team member or room."""

    key: str
    label: str
    busy: Sequence[Interval] = ()
    working_hours: WeeklyHours | None = None
    time_zone: str | None = None
    unknown: Sequence[Interval] = ()
    """Time whose busy state could not be read: it blocks as busy time does."""
    unknown_reason: str = ""
    """One sentence saying why ``unknown`` is unknown (which calendar, what failed)."""

    def blocked(self) -> Iterator[Interval]:
        """Busy and unknown time alike: neither may be offered."""
        return chain(self.busy, self.unknown)


@dataclass(frozen=True, slots=True)
class PoolSchedule:
    """A resource pool: at least one of its members must be free."""

    key: str
    label: str
    members: Sequence[ResourceSchedule] = ()


@dataclass(frozen=True, slots=True)
class HeldBooking:
    """A booking already made; it holds its resources over its interval."""

    interval: Interval
    resource_keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class AvailabilityQuery:
    time_frame: TimeFrame
    duration: timedelta
    now: datetime
    required: Sequence[ResourceSchedule] = ()
    pools: Sequence[PoolSchedule] = ()
    bookings: Sequence[HeldBooking] = ()

    def __post_init__(self) -> None:
        validate_duration(self.duration)
        require_aware(self.now, "current time")


@dataclass(frozen=True, slots=True)
class Slot:
    """An offered slot, and for each pool the keys of its members free then."""

    start: datetime
    end: datetime
    pool_choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


class _Timeline:
    """One resource's blocked minutes as a bitmap, and its working windows.

    Slot bounds fall on whole minutes, so busy time rounded outward to whole
    minutes blocks exactly the slots it overlaps. Building is linear in the
    busy time; a probe is one C-level scan of the slot's minutes.
    """

    __slots__ = ("origin", "minutes", "win_starts", "win_ends")

    def __init__(
        self,
        origin: int,
        size: int,
        busy: Iterable[Interval],
        windows: list[tuple[int, int]] | None,
    ) -> None:
        self.origin = origin
        minutes = bytearray(size)
        ones = _ONES
        # Whole minutes from the bitmap's origin, start rounded down and end up.
        # Interval ends are UTC, so subtracting a UTC origin is exact, and a
        # short timedelta's days and seconds are cheaper than a timestamp.
        base = _EPOCH + origin * _MINUTE
        for interval in busy:
            span = interval.start - base
            first = span.days * 1440 + span.seconds // 60
            span = interval.end - base
            last = span.days * 1440 - (-(span.seconds + (span.microseconds > 0)) // 60)
            if first >= 0 and last <= size and last - first <= 1440:
                minutes[first:last] = ones[: last - first]
            else:
                _mark(minutes, first, last, size)
        self.minutes = minutes
        if windows is None:
            self.win_starts: list[int] | None = None
            self.win_ends: list[int] = []
        else:
            self.win_starts, self.win_ends = _merge(windows)

    def free(self, start: int, end: int, before: int, after: int) -> bool:
        """Whether [start, end) (epoch seconds) is free with the buffers (whole minutes)."""
        if self.win_starts is not None:
            i = bisect_right(self.win_starts, start) - 1
            if i < 0 or self.win_ends[i] < end:
                return False
        lo = max(start // 60 - before - self.origin, 0)
        hi = end // 60 + after - self.origin
        return self.minutes.find(1, lo, hi) < 0


_ONES = b"\x01" * 1440


def _mark(minutes: bytearray, first: int, last: int, size: int) -> None:
    """Set minutes[first:last] (clipped to the bitmap) to blocked."""
    if first < 0:
        first = 0
    if last > size:
        last = size
    while last - first > 1440:
        minutes[first : first + 1440] = _ONES
        first += 1440
    if first < last:
        minutes[first:last] = _ONES[: last - first]


def _merge(pairs: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    pairs.sort()
    starts: list[int] = []
    ends: list[int] = []
    for a, b in pairs:
        if ends and a <= ends[-1]:
            if b > ends[-1]:
                ends[-1] = b
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _whole_minutes(value: timedelta) -> int:
    return -int(-value.total_seconds() // 60)


def _wall_blocks(hours: WeeklyHours, first: date, last: date) -> list[tuple[int, int]]:
    """The weekly hours on the days first..last as wall-time blocks (:func:`wall_seconds`),
    touching ones joined."""
    blocks: list[tuple[int, int]] = []
    weekly = [sorted(hours.ranges(weekday)) for weekday in range(7)]
    midnight = (first.toordinal() - _EPOCH_ORDINAL) * 86400
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        for hours_range in weekly[(ordinal + 6) % 7]:
            a = midnight + hours_range.start_minute * 60
            b = midnight + hours_range.end_minute * 60
            if blocks and a <= blocks[-1][1]:
                if b > blocks[-1][1]:
                    blocks[-1] = (blocks[-1][0], b)
            else:
                blocks.append((a, b))
        midnight += 86400
    return blocks


def _clock(tz: tzinfo, first: date, last: date) -> WallClock:
    """The zone's offsets over the days first..last (midnight to midnight)."""
    return WallClock(
        tz,
        datetime(first.year, first.month, first.day),
        datetime(last.year, last.month, last.day) + _DAY,
    )


def _windows(hours: WeeklyHours, tz: tzinfo, first: date, last: date) -> Iterator[tuple[int, int]]:
    """Instants of the blocks of *hours* (wall time of *tz*) on the days first..last."""
    clock = _clock(tz, first, last)
    for a, b in _wall_blocks(hours, first, last):
        yield from clock.spans(a, b)


def _local_day(seconds: int, tz: tzinfo) -> date:
    return from_utc_seconds(seconds).astimezone(tz).date()


class _Plan:
    """A query compiled to integer timelines, shared by counting and listing."""

    def __init__(self, query: AvailabilityQuery) -> None:
        frame = query.time_frame
        self.query = query
        self.duration = int(query.duration.total_seconds())
        self.before = _whole_minutes(frame.buffer_before)
        self.after = _whole_minutes(frame.buffer_after)
        first_day, last_day = frame.dates(query.now)
        tz = zone(frame.time_zone)
        self.first = datetime(first_day.year, first_day.month, first_day.day, tzinfo=tz)
        self.last = datetime(last_day.year, last_day.month, last_day.day, tzinfo=tz)
        margin = self.before + self.after + self.duration // 60 + 2 * 24 * 60
        self.origin = int(self.first.timestamp()) // 60 - margin
        self.size = int(self.last.timestamp()) // 60 + 2 * margin - self.origin
        held: dict[str, list[Interval]] = {}
        for booking in query.bookings:
            for key in booking.resource_keys:
                held.setdefault(key, []).append(booking.interval)
        self.held = held
        self.required = _Timeline(
            self.origin,
            self.size,
            chain(
                chain.from_iterable(r.blocked() for r in query.required),
                chain.from_iterable(held.get(r.key, ()) for r in query.required),
            ),
            None,
        )
        self.required_windows = [
            self._timeline((), r) for r in query.required if r.working_hours is not None
        ]
        self.pools = [
            (pool.key, [(m.key, self._timeline(m.blocked(), m)) for m in pool.members])
            for pool in query.pools
        ]

    def _timeline(self, busy: Iterable[Interval], resource: ResourceSchedule) -> _Timeline:
        busy = chain(busy, self.held.get(resource.key, ()))
        if resource.working_hours is None:
            return _Timeline(self.origin, self.size, busy, None)
        # The member's days that can meet the frame's instants, whatever the
        # offsets: from the day of the frame's first instant (less the margin)
        # to the day of its last, in the member's own zone, one day each side.
        tz = zone(resource.time_zone or self.query.time_frame.time_zone)
        first = _local_day(self.origin * 60, tz) - _DAY
        last = _local_day((self.origin + self.size) * 60, tz) + _DAY
        windows = list(_windows(resource.working_hours, tz, first, last))
        return _Timeline(self.origin, self.size, busy, windows)

    def candidates(self) -> list[int]:
        """Slot starts on the frame's wall-clock grid whose slot fits in its block."""
        frame = self.query.time_frame
        tz = zone(frame.time_zone)
        first_day, last_day = frame.dates(self.query.now)
        earliest = math.ceil((self.query.now + frame.minimum_notice).timestamp())
        duration = self.duration
        result: list[int] = []
        ordered = True
        step = int(frame.slot_interval.total_seconds())
        clock = _clock(tz, first_day, last_day)
        for a, b in _wall_blocks(frame.weekly_hours, first_day, last_day):
            grid = clock.grid(a, b, step)
            # Each window is a run of instants whose wall time is in the block; a
            # slot fits when it ends inside the window its start lies in.
            for lo, hi in clock.spans(a, b):
                chosen = grid[
                    bisect_left(grid, max(lo, earliest)) : bisect_right(grid, hi - duration)
                ]
                if chosen:
                    if result and chosen[0] <= result[-1]:
                        ordered = False
                    result.extend(chosen)
        if not ordered:
            result = sorted(set(result))
        return result

    def pool_choices(self, start: int, first_only: bool) -> dict[str, tuple[str, ...]] | None:
        end = start + self.duration
        choices: dict[str, tuple[str, ...]] = {}
        for pool_key, members in self.pools:
            free: list[str] = []
            for key, timeline in members:
                if timeline.free(start, end, self.before, self.after):
                    free.append(key)
                    if first_only:
                        break
            if not free:
                return None
            choices[pool_key] = tuple(free)
        return choices

    def slots(self, first_only: bool) -> Iterator[tuple[int, dict[str, tuple[str, ...]]]]:
        duration, before, after, origin = self.duration, self.before, self.after, self.origin
        find = self.required.minutes.find
        windows = self.required_windows
        starts = self.candidates()
        i, count = 0, len(starts)
        while i < count:
            start = starts[i]
            lo = start // 60 - before - origin
            blocked = find(1, lo if lo > 0 else 0, (start + duration) // 60 + after - origin)
            if blocked >= 0:
                # Every minute from the blocked one to the next free one is busy for
                # the required resources, so skip to the first start whose span
                # (buffer included) begins at or after that free minute.
                free = find(0, blocked)
                if free < 0:
                    return
                i = bisect_left(starts, (free + before + origin) * 60, i + 1)
                continue
            i += 1
            if windows and not all(w.free(start, start + duration, 0, 0) for w in windows):
                continue
            choices = self.pool_choices(start, first_only)
            if choices is not None:
                yield start, choices


def find_slots(query: AvailabilityQuery) -> list[Slot]:
    """Every offered slot, in time order."""
    plan = _Plan(query)
    return [
        Slot(from_utc_seconds(s), from_utc_seconds(s + plan.duration), choices)
        for s, choices in plan.slots(first_only=False)
    ]


def count_slots(query: AvailabilityQuery) -> int:
    """How many slots :func:`find_slots` would offer, without building them."""
    return sum(1 for _ in _Plan(query).slots(first_only=True))


def explain_no_slots(query: AvailabilityQuery) -> str:
    """One sentence saying why *query* offers no slot (or that it does)."""
    bare = AvailabilityQuery(query.time_frame, query.duration, query.now)
    if not _Plan(bare).candidates():
        rule = empty_frame_reason(query.time_frame, query.duration, query.now)
        if rule is not None:
            return rule
        return (
            "The time frame has no weekly hours long enough for the meeting after the "
            "minimum notice; widen the dates or hours, or shorten the meeting."
        )
    unreadable = [
        resource.unknown_reason
        for resource in query.required
        if resource.unknown_reason
        and count_slots(_with(query, required=[replace(resource, unknown=())], pools=[]))
        > count_slots(_with(query, required=[resource], pools=[]))
    ]
    if unreadable and not count_slots(query):
        return " ".join(unreadable)
    blocked = [
        resource.label
        for resource in query.required
        if count_slots(_with(query, required=[resource], pools=[])) == 0
    ]
    blocked += [
        pool.label
        for pool in query.pools
        if count_slots(_with(query, required=[], pools=[pool])) == 0
    ]
    if blocked:
        names = ", ".join(blocked)
        verb = "has" if len(blocked) == 1 else "have"
        return f"{names} {verb} no free time in the time frame."
    if count_slots(query):
        return "There are available slots."
    return "The team members, rooms and pools have no free time in common in the time frame."


def _with(
    query: AvailabilityQuery,
    required: Sequence[ResourceSchedule],
    pools: Sequence[PoolSchedule],
) -> AvailabilityQuery:
    return AvailabilityQuery(
        query.time_frame, query.duration, query.now, required, pools, query.bookings
    )
