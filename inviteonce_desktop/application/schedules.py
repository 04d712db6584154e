"""Turning the workspace's members, rooms and pools into the engine's schedules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..core.availability import AvailabilityQuery, PoolSchedule, ResourceSchedule
from ..core.errors import ValidationError
from ..core.intervals import Interval
from ..core.resources import ResourcePool, Room, TeamMember
from ..core.timeframe import TimeFrame
from ..store.calendar_data import BusyCache, LocalEvents
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

    def schedule(key: str) -> ResourceSchedule:
        member = members.get(key)
        return ResourceSchedule(
            key=key,
            label=labels[key],
            busy=busy.get(key, []),
            working_hours=member.working_hours if member else None,
            time_zone=member.time_zone if member else None,
        )

    required = [schedule(m.key) for m in resolved.members] + [
        schedule(r.key) for r in resolved.rooms
    ]
    pools = [
        PoolSchedule(pool.key, pool.name, [schedule(k) for k in pool.member_keys])
        for pool in resolved.pools
    ]
    return AvailabilityQuery(frame, request.duration, now, required, pools), resolved


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
