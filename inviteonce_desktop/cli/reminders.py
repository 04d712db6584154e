"""Reminder options: ``invite --remind 24h --remind 1h``, ``settings reminders 24h 1h``."""

from __future__ import annotations

import argparse
from typing import Any

from ..application.facade import InviteOnce
from ..core.errors import ValidationError
from ..core.reminders import offsets_text, parse_offset, reminder_offsets
from .output import emit_json


def add_reminder_options(group: Any) -> None:
    group.add_argument(
        "--remind",
        action="append",
        default=[],
        metavar="BEFORE",
        help="remind the customer this long before the meeting, e.g. 24h or 30m (at most "
        "twice; default: Settings, see inviteonce settings reminders)",
    )
    group.add_argument("--no-remind", action="store_true", help="send the customer no reminder")


def reminder_minutes(args: argparse.Namespace) -> list[int] | None:
    """The minutes of each --remind; [] for --no-remind; None (the default) for neither."""
    if args.no_remind and args.remind:
        raise ValidationError("Choose either --remind or --no-remind, not both.")
    if args.no_remind:
        return []
    if not args.remind:
        return None
    offsets = reminder_offsets(parse_offset(text) for text in args.remind)
    return [int(o.total_seconds() // 60) for o in offsets]


def register(settings: Any) -> None:
    reminders = settings.add_parser(
        "reminders", help="the reminders new invitations send the customer"
    )
    reminders.add_argument(
        "before",
        nargs="*",
        metavar="BEFORE",
        help="e.g. 24h 1h (at most two), or none; nothing: show the setting",
    )
    reminders.add_argument("--json", action="store_true")
    reminders.set_defaults(func=run_reminders)


def run_reminders(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.before == ["none"]:
        offsets = app.set_default_reminders(())
    elif args.before:
        offsets = app.set_default_reminders(tuple(parse_offset(t) for t in args.before))
    else:
        offsets = app.default_reminders()
    minutes = [int(o.total_seconds() // 60) for o in offsets]
    if args.json:
        emit_json({"minutes_before": minutes})
        return 0
    if not offsets:
        print("New invitations send the customer no reminder.")
    else:
        print(f"New invitations remind the customer {offsets_text(offsets)} the meeting.")
    return 0
