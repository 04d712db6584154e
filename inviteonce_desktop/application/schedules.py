"""Turning the workspace's members, rooms and pools into the engine's schedules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ..core.availability import AvailabilityQuery, PoolSchedule, ResourceSchedule
from ..core.errors import ValidationError
from ..core.intervals import Interval
from ..core.resources import ResourcePool, Room, TeamMember
from ..core.timeframe import TimeFrame
from ..store.calendar_data import BusyCache, BusyState, LocalEvents
from ..store.directory import Directory
from ..store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """What the wizard's first two steps say about availability."""

    team_members: Sequence[str | int]
    duration: timedelta
    time_frame: TimeFrame
    rooms: Sequence[str | int] = ()
    pools: Sequence[str | int] = ()


@dataclass(frozen=True, slots=True)
class Resolved:
    members: list[TeamMember]
    rooms: list[Room]
    pools: list[ResourcePool]
    busy_as_of: datetime | None = None
    """When the oldest connected calendar involved was last read (None: none involved)."""
    unknown: dict[str, str] = field(default_factory=dict)
    """Why a member's or room's busy time is unknown, by name."""
    needed: Interval | None = None
    """The span the query needs busy time for."""


def resolve(directory: Directory, request: SlotRequest) -> Resolved:
    if not request.team_members:
        raise ValidationError("Choose at least one team member.")
    return Resolved(
        members=[directory.member(ref) for ref in request.team_members],
        rooms=[directory.room(ref) for ref in request.rooms],
        pools=[directory.pool(ref) for ref in request.pools],
    )


def build_query(
    workspace: Workspace, request: SlotRequest, now: datetime
) -> tuple[AvailabilityQuery, Resolved]:
    """The engine's query, with busy time from the local calendar and the free/busy cache."""
    frame = request.time_frame
    first, last = frame.dates(now)
    span_start = datetime.combine(first, datetime.min.time(), tzinfo=now.tzinfo) - timedelta(days=2)
    span_end = datetime.combine(last, datetime.min.time(), tzinfo=now.tzinfo) + timedelta(days=3)
    with workspace.session() as session:
        directory = Directory(session)
        resolved = resolve(directory, request)
        labels = {m.key: m.name for m in resolved.members} | {r.key: r.name for r in resolved.rooms}
        pool_keys = [key for pool in resolved.pools for key in pool.member_keys]
        for key in pool_keys:
            labels.setdefault(key, _label(directory, key))
        keys = list(dict.fromkeys([*labels, *pool_keys]))
        busy = _merge(
            LocalEvents(session).busy(keys, span_start, span_end),
            BusyCache(session).busy(keys, span_start, span_end),
        )
        members = {m.key: m for m in resolved.members}
        for key in pool_keys:
            if key.startswith("member:") and key not in members:
                members[key] = directory.member(int(key.split(":")[1]))
        connected = _connected_keys(directory, keys)
        needed = Interval(max(span_start, now), max(span_end, now + timedelta(minutes=1)))
        states = BusyCache(session).states(list(connected))
    unknown = {
        key: gap for key in connected if (gap := _unknown(labels[key], states.get(key), needed))
    }
    as_of = [states[k].fetched_at for k in connected if k in states and k not in unknown]
    resolved = replace(
        resolved,
        busy_as_of=min(as_of) if as_of else None,
        unknown={labels[k]: reason for k, (_, reason) in unknown.items()},
        needed=needed,
    )

    def schedule(key: str) -> ResourceSchedule:
        member = members.get(key)
        return ResourceSchedule(
            key=key,
            label=labels[key],
            busy=busy.get(key, []),
            working_hours=member.working_hours if member else None,
            time_zone=member.time_zone if member else None,
            unknown=unknown[key][0] if key in unknown else (),
            unknown_reason=unknown[key][1] if key in unknown else "",
        )

    required = [schedule(m.key) for m in resolved.members] + [
        schedule(r.key) for r in resolved.rooms
    ]
    pools = [
        PoolSchedule(pool.key, pool.name, [schedule(k) for k in pool.member_keys])
        for pool in resolved.pools
    ]
    return AvailabilityQuery(frame, request.duration, now, required, pools), resolved


def _connected_keys(directory: Directory, keys: Sequence[str]) -> set[str]:
    """The keys among *keys* whose busy time comes from a connected calendar account."""
    wanted = set(keys)
    found = {m.key for m in directory.members() if m.calendar_account_id is not None}
    found |= {r.key for r in directory.rooms() if r.calendar_account_id is not None}
    return found & wanted


def _unknown(
    label: str, state: BusyState | None, needed: Interval
) -> tuple[list[Interval], str] | None:
    """The part of *needed* whose busy time is unknown for one resource, and why."""
    if state is None:
        return [needed], f"{label}'s calendar has not been read yet; refresh the calendars."
    if state.problem:
        return [needed], f"{label}'s calendar could not be read: {state.problem.rstrip('.')}."
    gaps = []
    before = min(state.covered.start, needed.end)
    if needed.start < before:
        gaps.append(Interval(needed.start, before))
    after = max(state.covered.end, needed.start)
    if after < needed.end:
        gaps.append(Interval(after, needed.end))
    if not gaps:
        return None
    return gaps, (
        f"{label}'s calendar has been read only until "
        f"{state.covered.end:%Y-%m-%d}; refresh the calendars."
    )


def _label(directory: Directory, key: str) -> str:
    kind, _, ident = key.partition(":")
    if kind == "member":
        return directory.member(int(ident)).name
    return directory.room(int(ident)).name


def _merge(*sources: dict[str, list[Interval]]) -> dict[str, list[Interval]]:
    result: dict[str, list[Interval]] = {}
    for source in sources:
        for key, intervals in source.items():
            result.setdefault(key, []).extend(intervals)
    return result
