"""``inviteonce meetings move ID [--to TIME]``: move a booked meeting to another free slot."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime

from ..application.facade import InviteOnce
from ..core.errors import ValidationError
from ..core.meeting import Meeting
from ..core.timezones import zone
from .output import emit_json
from .parsing import instant, record_id


def run_move(app: InviteOnce, args: argparse.Namespace) -> int:
    """Without --to: the free slots it can move to; with it: the move, and who is told."""
    if args.meeting_id is None:
        raise ValidationError("Say which meeting to move: inviteonce meetings move ID --to TIME.")
    meeting_id = record_id(args.meeting_id, "meeting")
    tz_name = app.profile_zone()
    tz = zone(tz_name)
    if args.new_start is None:
        options = asyncio.run(_options(app, meeting_id))
        if args.json:
            emit_json([{"start": start, "end": end} for start, end in options])
            return 0
        if not options:
            print(f"Meeting {meeting_id} has no other free time left in its invitation.")
            return 0
        print(f"Meeting {meeting_id} can move to (times in {tz_name}):")
        for start, end in options:
            print(f"  {start.astimezone(tz):%a %Y-%m-%d %H:%M}-{end.astimezone(tz):%H:%M}")
        return 0
    start = instant(args.new_start, tz_name)
    moved = asyncio.run(_move(app, meeting_id, start))
    if args.json:
        emit_json({"id": moved.id, "start": moved.start, "end": moved.end})
        return 0
    print(
        f"Meeting {moved.id} moved to {moved.start.astimezone(tz):%a %Y-%m-%d %H:%M} "
        f"({tz_name}); {moved.participant_name} and the team get the update."
    )
    return 0


async def _options(app: InviteOnce, meeting_id: int) -> list[tuple[datetime, datetime]]:
    try:
        return await app.move_options(meeting_id)
    finally:
        await app.close_calendars()


async def _move(app: InviteOnce, meeting_id: int, start: datetime) -> Meeting:
    try:
        return await app.move_meeting(meeting_id, start)
    finally:
        await app.close_calendars()
