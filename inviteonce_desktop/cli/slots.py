"""``inviteonce slots``: count and list available slots, as the wizard's step 2 does."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta
from typing import Any

from ..application.calendars import RefreshReport
from ..application.facade import InviteOnce, SlotCount
from ..application.requests import InvitationRequest
from ..application.schedules import SlotRequest
from ..core.errors import ValidationError
from ..core.timezones import clock_label, zone
from .output import emit_json
from .parsing import day, minutes


def add_time_frame_options(parser: argparse.ArgumentParser) -> None:
    frame = parser.add_argument_group("time frame")
    frame.add_argument("--from", dest="start", help="first day, e.g. 2026-12-01")
    frame.add_argument("--to", dest="end", help="last day, e.g. 2026-12-14")
    frame.add_argument("--days", type=int, help="rolling number of days from today (default 14)")
    frame.add_argument(
        "--hours",
        default="Mon-Fri 09:00-17:00",
        help='weekly hours (default "Mon-Fri 09:00-17:00")',
    )
    frame.add_argument("--interval", default="30", help="slot interval (default 30m)")
    frame.add_argument("--notice", default="4h", help="minimum notice (default 4h)")
    frame.add_argument("--buffer-before", default="0", help="free time needed before (default 0)")
    frame.add_argument("--buffer-after", default="0", help="free time needed after (default 0)")
    frame.add_argument("--tz", help="the time frame's zone (default: the profile's)")


def request_from(app: InviteOnce, args: argparse.Namespace) -> InvitationRequest:
    """The invitation request the resource and time frame options fill."""
    ranged = args.start is not None or args.end is not None
    members, rooms, pools = app.resolve_ids(args.member, args.room, args.pool)
    return InvitationRequest(
        duration_minutes=_whole_minutes(minutes(args.duration)),
        team_member_ids=list(members),
        room_ids=list(rooms),
        pool_ids=list(pools),
        time_zone=app.profile_zone() if args.tz is None else args.tz,
        weekly_hours=args.hours,
        start_date=day(args.start).isoformat() if args.start else None,
        end_date=day(args.end).isoformat() if args.end else None,
        rolling_days=None if ranged else (args.days if args.days is not None else 14),
        slot_interval_minutes=_whole_minutes(minutes(args.interval, "slot interval")),
        minimum_notice_minutes=_whole_minutes(minutes(args.notice, "minimum notice")),
        buffer_before_minutes=_whole_minutes(minutes(args.buffer_before, "buffer")),
        buffer_after_minutes=_whole_minutes(minutes(args.buffer_after, "buffer")),
    )


def _whole_minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)


def add_resource_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-m", "--member", action="append", default=[], help="a team member (repeat for more)"
    )
    parser.add_argument("-r", "--room", action="append", default=[], help="a room (repeatable)")
    parser.add_argument(
        "-p", "--pool", action="append", default=[], help="a resource pool (repeatable)"
    )
    parser.add_argument("-d", "--duration", default="30", help="meeting duration (default 30m)")


def add_offline_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offline",
        action="store_true",
        help="use the cached busy time as it is, even when older than the refresh interval",
    )


def read_calendars_first(app: InviteOnce, request: SlotRequest, offline: bool) -> None:
    """Refresh the connected calendars *request* involves when their busy time is stale,
    and say on stderr what could not be read."""
    if offline:
        return

    async def refresh() -> RefreshReport | None:
        try:
            return await app.refresh_for(request)
        finally:
            await app.close_calendars()

    report = asyncio.run(refresh())
    if report is not None:
        for name, problem in report.failed.items():
            print(f"{name}: {problem}", file=sys.stderr)


def freshness_notes(count: SlotCount, time_zone: str) -> list[str]:
    """Sentences for stderr: unreadable calendars, and stale busy time that was used."""
    notes = list(count.unknown)
    if count.stale and count.busy_as_of is not None:
        shown = count.busy_as_of.astimezone(zone(time_zone))
        notes.append(
            f"These slots use busy time as of {shown:%Y-%m-%d %H:%M}, older than the refresh "
            "interval; the calendars could not be read again."
        )
    return notes


def register(commands: Any) -> None:
    parser = commands.add_parser("slots", help="count and list available time slots")
    add_resource_options(parser)
    add_time_frame_options(parser)
    parser.add_argument("--limit", type=int, default=50, help="list at most this many (text)")
    add_offline_option(parser)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=run)


def run(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise ValidationError(f"The --limit is {args.limit}; give 0 or more slots to list.")
    request = request_from(app, args).slot_request()
    read_calendars_first(app, request, args.offline)
    slots = app.list_slots_now(request)
    tz = zone(request.time_frame.time_zone)
    counted = app.count_slots_now(request)
    reason = "" if slots else counted.reason
    notes = freshness_notes(counted, app.profile_zone())
    for note in notes:
        print(note, file=sys.stderr)
    if args.json:
        emit_json(
            {
                "count": len(slots),
                "time_zone": request.time_frame.time_zone,
                "reason": reason or None,
                "busy_as_of": counted.busy_as_of,
                "stale": counted.stale,
                "unreadable": list(counted.unknown),
                "slots": [
                    {
                        "start": s.start.astimezone(tz),
                        "end": s.end.astimezone(tz),
                        "pools": {k: list(v) for k, v in s.pool_choices.items()},
                    }
                    for s in slots
                ],
            }
        )
        return 1 if counted.unknown else 0
    freshness = counted.freshness(app.profile_zone())
    shown = f"{request.time_frame.time_zone}" + (f"; {freshness}" if freshness else "")
    noun = "time slot" if len(slots) == 1 else "time slots"
    print(f"{len(slots)} available {noun} ({shown}).")
    if reason:
        print(reason)
    shown_day = None
    for slot in slots[: args.limit]:
        start = slot.start.astimezone(tz)
        if start.date() != shown_day:
            shown_day = start.date()
            print(f"\n{start:%A %d %B %Y}")
        print(f"  {clock_label(slot.start, tz)}-{clock_label(slot.end, tz)}")
    if len(slots) > args.limit:
        print(f"\n... and {len(slots) - args.limit} more (use --json for all).")
    return 1 if counted.unknown else 0
