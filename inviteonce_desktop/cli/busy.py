"""``inviteonce busy add|list|import``: busy time on the local calendar."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from ..application.facade import InviteOnce
from ..core.errors import ValidationError
from ..core.timezones import clock_label, zone
from .output import emit_json, emit_table
from .parsing import day, instant


def register(commands: Any) -> None:
    busy = commands.add_parser("busy", help="busy time on the local calendar").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = busy.add_parser("add", help="mark a team member or room busy")
    add.add_argument("ref", help="team member or room (id, name or email)")
    add.add_argument("start", help="e.g. 2026-12-01T09:30")
    add.add_argument("end", help="e.g. 2026-12-01T10:30")
    add.add_argument("--title", default="Busy")
    add.add_argument("--tz", help="zone of times without an offset (default: the profile's)")
    add.set_defaults(func=add_busy)

    listing = busy.add_parser("list", help="list busy time")
    listing.add_argument("ref", help="team member or room")
    listing.add_argument("--from", dest="start", help="first day (default: today)")
    listing.add_argument("--to", dest="end", help="last day (default: 14 days on)")
    listing.add_argument("--tz", help="show times in this zone (default: the profile's)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_busy)

    importer = busy.add_parser("import", help="import busy time from an .ics file")
    importer.add_argument("ref", help="team member or room")
    importer.add_argument("file", type=Path)
    importer.set_defaults(func=import_busy)


def add_busy(app: InviteOnce, args: argparse.Namespace) -> int:
    tz_name = app.profile_zone() if args.tz is None else args.tz
    start, end = instant(args.start, tz_name), instant(args.end, tz_name)
    wall_order = start.replace(tzinfo=None) < end.replace(tzinfo=None)
    if start.tzinfo is end.tzinfo and wall_order and end.astimezone(UTC) <= start.astimezone(UTC):
        shifted = start.astimezone(UTC).astimezone(start.tzinfo)
        raise ValidationError(
            f"The clocks in {tz_name} skip {args.start}; read as {shifted:%H:%M}, as calendars "
            f"do, it leaves no busy time before {args.end}."
        )
    event = app.add_busy(args.ref, start, end, args.title)
    shown = zone(tz_name)
    print(
        f"Busy {event.start.astimezone(shown):%a %d %b %H:%M}"
        f"-{event.end.astimezone(shown):%H:%M} ({tz_name})."
    )
    return 0


def list_busy(app: InviteOnce, args: argparse.Namespace) -> int:
    tz_name = app.profile_zone() if args.tz is None else args.tz
    tz = zone(tz_name)
    first = day(args.start) if args.start else app.now().astimezone(tz).date()
    last = day(args.end) if args.end else first + timedelta(days=13)
    start = instant(first.isoformat() + "T00:00", tz_name)
    end = instant((last + timedelta(days=1)).isoformat() + "T00:00", tz_name)
    events = app.busy(args.ref, start, end)
    if args.json:
        emit_json(
            [
                {
                    "uid": e.uid,
                    "title": e.title,
                    "start": e.start,
                    "end": e.end,
                    "transparent": e.transparent,
                    "status": e.status,
                }
                for e in events
            ]
        )
        return 0
    emit_table(
        ["START", "END", "TITLE", "SHOWS AS"],
        [
            [
                f"{e.start.astimezone(tz):%a %Y-%m-%d} {clock_label(e.start, tz)}",
                _end_label(e.start, e.end, tz),
                e.title,
                "free" if e.transparent or e.status == "cancelled" else "busy",
            ]
            for e in events
        ],
    )
    return 0


def import_busy(app: InviteOnce, args: argparse.Namespace) -> int:
    result = app.import_busy(args.ref, args.file)
    print("\n".join(result.lines()))
    return 0


def _end_label(start: datetime, end: datetime, tz: tzinfo) -> str:
    """The end's clock time, with its date when it is on another day than the start."""
    if end.astimezone(tz).date() == start.astimezone(tz).date():
        return clock_label(end, tz)
    return f"{end.astimezone(tz):%a %Y-%m-%d} {clock_label(end, tz)}"
