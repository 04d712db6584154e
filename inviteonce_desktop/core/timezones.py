"""Wall times in named zones, turned into instants without DST surprises.

A wall-clock range on a date can map to one interval of instants, a shorter
one (the clocks jumped forward inside it) or two (the clocks fell back and the
range ends inside the repeated hour). :meth:`WallClock.spans` computes the
exact set: the instants whose wall time in the zone lies in the range.

A single wall time is resolved as RFC 5545 says (:func:`resolve_wall`): one in
a gap (the clocks jumped over it) is read with the offset before the gap, that
is shifted forward by the gap; one that repeats (the clocks fell back) is its
first occurrence.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import UnknownTimeZone

_EPOCH = datetime(1970, 1, 1)
_MAX_EAST = timedelta(hours=14)
_MAX_WEST = timedelta(hours=12)
_SECOND = timedelta(seconds=1)
_DAY = timedelta(days=1)
_EAST_SECONDS = int(_MAX_EAST.total_seconds())
_WEST_SECONDS = int(_MAX_WEST.total_seconds())


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The zone called *name*, or :class:`UnknownTimeZone` with a clear message."""
    if not name or name != name.strip() or name.startswith(("/", ".")):
        raise UnknownTimeZone(f"'{name}' is not a time zone name.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimeZone(f"'{name}' is not a known time zone.") from None


def is_zone(name: str) -> bool:
    try:
        zone(name)
    except UnknownTimeZone:
        return False
    return True


def zone_names() -> list[str]:
    return sorted(available_timezones())


def require_aware(value: datetime, what: str = "time") -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"The {what} must carry a time zone.")
    return value


def to_utc(value: datetime) -> datetime:
    return require_aware(value).astimezone(UTC)


def from_utc_seconds(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def resolve_wall(wall: datetime, tz: tzinfo) -> datetime:
    """The UTC instant of the naive wall time *wall* in *tz* (gap: forward; repeat: first).

    Works from UTC-to-local conversions only, so any tzinfo (zoneinfo, a
    VTIMEZONE read from a file, a fixed offset) resolves the same way.
    """
    naive = wall.replace(tzinfo=None, fold=0)
    if isinstance(tz, timezone):
        # A fixed offset (UTC, a file's "Z" times): one offset, no gap or repeat.
        return (naive - tz.utcoffset(None)).replace(tzinfo=UTC)
    if isinstance(tz, ZoneInfo):
        # zoneinfo reads fold=0 exactly so: the offset before a gap, the first of a repeat.
        offset = naive.replace(tzinfo=tz).utcoffset()
        assert offset is not None
        return (naive - offset).replace(tzinfo=UTC)
    before = _offset_at(tz, naive - _DAY)
    after = _offset_at(tz, naive + _DAY)
    matches = [
        naive - offset
        for offset in dict.fromkeys((before, after))
        if _offset_at(tz, naive - offset) == offset
    ]
    utc = min(matches) if matches else naive - before
    return utc.replace(tzinfo=UTC)


def is_repeated_wall_time(instant: datetime, tz: tzinfo) -> bool:
    """Whether the wall time of *instant* in *tz* happens twice (the clocks fell back)."""
    local = require_aware(instant).astimezone(tz)
    naive = local.replace(tzinfo=None, fold=0)
    offsets = {_offset_at(tz, naive - _DAY), _offset_at(tz, naive + _DAY)}
    hits = [o for o in offsets if _offset_at(tz, naive - o) == o]
    return len(hits) > 1


def clock_label(instant: datetime, tz: tzinfo) -> str:
    """``HH:MM`` of *instant* in *tz*, with the zone's abbreviation or offset when that wall
    time happens twice that night ("01:30 EDT", then "01:30 EST")."""
    local = require_aware(instant).astimezone(tz)
    text = f"{local:%H:%M}"
    if not is_repeated_wall_time(local, tz):
        return text
    name = local.tzname() or ""
    if not name.isalpha():
        offset = local.utcoffset() or timedelta(0)
        sign = "-" if offset < timedelta(0) else "+"
        minutes = abs(int(offset.total_seconds())) // 60
        name = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return f"{text} {name}"


def _offset_at(tz: tzinfo, naive_utc: datetime) -> timedelta:
    offset = tz.utcoffset(naive_utc.replace(tzinfo=UTC).astimezone(tz))
    assert offset is not None
    return offset


def _constant_offset_pieces(
    tz: tzinfo, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime, timedelta]]:
    """Split [lo, hi) (naive UTC) into pieces over which the zone's offset is constant."""
    first, last = _offset_at(tz, lo), _offset_at(tz, hi - _SECOND)
    if first == last:
        return [(lo, hi, first)]
    if hi - lo <= _SECOND:
        return [(lo, hi, first)]
    mid = lo + (hi - lo) // 2
    mid = mid.replace(microsecond=0)
    left = _constant_offset_pieces(tz, lo, mid)
    right = _constant_offset_pieces(tz, mid, hi)
    if left[-1][2] == right[0][2]:
        joined = (left[-1][0], right[0][1], left[-1][2])
        return [*left[:-1], joined, *right[1:]]
    return [*left, *right]


def wall_seconds(wall: datetime) -> int:
    """A naive wall time as whole seconds on the epoch's wall clock (no zone applied)."""
    span = wall - _EPOCH
    return span.days * 86400 + span.seconds


class WallClock:
    """A zone's offsets over a stretch of wall time, found once.

    Blocks of wall time inside the stretch (given as :func:`wall_seconds`) then
    become instants by integer arithmetic. The offsets are probed at least once a
    day, so no pair of clock changes can hide between two probes.
    """

    __slots__ = ("_pieces", "_ends", "_first", "_last")

    def __init__(self, tz: tzinfo, wall_first: datetime, wall_last: datetime) -> None:
        lo, hi = wall_first - _MAX_EAST, wall_last + _MAX_WEST
        bounds = [lo]
        while bounds[-1] + _DAY < hi:
            bounds.append(bounds[-1] + _DAY)
        bounds.append(hi)
        offsets = [_offset_at(tz, bound) for bound in bounds]
        pieces: list[tuple[int, int, int]] = []
        for i in range(len(bounds) - 1):
            # A day whose two ends share an offset has no clock change inside it
            # (no zone changes twice in a day); another day is searched.
            if offsets[i] == offsets[i + 1]:
                found = [(bounds[i], bounds[i + 1], offsets[i])]
            else:
                found = _constant_offset_pieces(tz, bounds[i], bounds[i + 1])
            for a, b, offset in found:
                seconds = int(offset.total_seconds())
                if pieces and pieces[-1][2] == seconds:
                    pieces[-1] = (pieces[-1][0], wall_seconds(b), seconds)
                else:
                    pieces.append((wall_seconds(a), wall_seconds(b), seconds))
        self._pieces = pieces
        self._ends = [b for _, b, _ in pieces]
        self._first = wall_seconds(wall_first)
        self._last = wall_seconds(wall_last)

    def _within(self, wall_start: int, wall_end: int) -> Iterator[tuple[int, int, int]]:
        """Pieces (UTC epoch seconds, offset) of the instants whose wall time is in the span."""
        if wall_start < self._first or wall_end > self._last:
            raise ValueError("The wall time lies outside the stretch this clock was built for.")
        i = bisect_right(self._ends, wall_start - _EAST_SECONDS)
        for piece_start, piece_end, offset in self._pieces[i:]:
            if piece_start >= wall_end + _WEST_SECONDS:
                break
            lo = max(wall_start - offset, piece_start)
            hi = min(wall_end - offset, piece_end)
            if lo < hi:
                yield lo, hi, offset

    def spans(self, wall_start: int, wall_end: int) -> list[tuple[int, int]]:
        """Instants (epoch seconds, half-open, sorted) whose wall time is in [wall_start,
        wall_end); more than one interval only where the clocks fell back inside it."""
        result: list[tuple[int, int]] = []
        for a, b, _ in self._within(wall_start, wall_end):
            if result and result[-1][1] == a:
                result[-1] = (result[-1][0], b)
            else:
                result.append((a, b))
        return result

    def grid(self, wall_start: int, wall_end: int, step: int) -> list[int]:
        """Instants (epoch seconds, sorted) whose wall time is wall_start + k * step (seconds)
        inside the span: a wall time the clocks skip has none, one they repeat has two."""
        result: list[int] = []
        for lo, hi, offset in self._within(wall_start, wall_end):
            k = -(-(lo + offset - wall_start) // step)
            result.extend(range(wall_start - offset + k * step, hi, step))
        return result
