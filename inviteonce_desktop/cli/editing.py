"""``inviteonce invitations edit ID``: change an open invitation; its links stay the same."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import replace
from typing import Any

from ..application.facade import InviteOnce
from ..application.requests import InvitationRequest
from ..core.errors import ValidationError
from .output import emit_json
from .parsing import day, instant, minutes, record_id
from .reminders import add_reminder_options, reminder_minutes

CHANGES = (
    *("subject", "duration", "members", "start", "end", "days", "hours", "notice"),
    *("interval", "description", "location", "promote_at", "no_promote", "remind", "no_remind"),
)


def add_edit_options(parser: argparse.ArgumentParser) -> None:
    edit = parser.add_argument_group("changes (with edit)")
    edit.add_argument("--subject")
    edit.add_argument("--duration", help="meeting duration, e.g. 45m")
    edit.add_argument("--members", help="the team members, by name or email, comma-separated")
    edit.add_argument("--from", dest="start", help="first day, e.g. 2026-12-01")
    edit.add_argument("--to", dest="end", help="last day, e.g. 2026-12-14")
    edit.add_argument("--days", type=int, help="rolling number of days from today")
    edit.add_argument("--hours", help='weekly hours, e.g. "Mon-Fri 09:00-17:00"')
    edit.add_argument("--notice", help="minimum notice, e.g. 4h")
    edit.add_argument("--interval", help="slot interval, e.g. 30m")
    edit.add_argument("--description")
    edit.add_argument("--location")
    edit.add_argument(
        "--promote-at", action="append", default=[], help="promote the slot starting then"
    )
    edit.add_argument("--no-promote", action="store_true", help="promote no slot")
    add_reminder_options(edit)


def edits_given(args: argparse.Namespace) -> bool:
    return any(getattr(args, name) not in (None, [], False) for name in CHANGES)


def edited_request(
    app: InviteOnce, request: InvitationRequest, args: argparse.Namespace
) -> InvitationRequest:
    """*request* with what the options say changed."""
    values: dict[str, Any] = {}
    if args.subject is not None:
        values["subject"] = args.subject
    if args.duration is not None:
        values["duration_minutes"] = _minutes(args.duration, "duration")
    if args.members is not None:
        names = [n.strip() for n in args.members.split(",") if n.strip()]
        values["team_member_ids"] = list(app.resolve_ids(names, [], [])[0])
    if args.start is not None or args.end is not None:
        if args.days is not None:
            raise ValidationError("Choose either --from/--to or --days, not both.")
        start = day(args.start).isoformat() if args.start else request.start_date
        end = day(args.end).isoformat() if args.end else request.end_date
        values.update(start_date=start, end_date=end, rolling_days=None)
    elif args.days is not None:
        values.update(start_date=None, end_date=None, rolling_days=args.days)
    for option, field in (
        ("notice", "minimum_notice_minutes"),
        ("interval", "slot_interval_minutes"),
    ):
        if getattr(args, option) is not None:
            values[field] = _minutes(getattr(args, option), f"{option.replace('_', ' ')}")
    for name in ("hours", "description", "location"):
        if getattr(args, name) is not None:
            values["weekly_hours" if name == "hours" else name] = getattr(args, name)
    if args.no_promote and args.promote_at:
        raise ValidationError("Choose either --promote-at or --no-promote, not both.")
    if args.no_promote or args.promote_at:
        zone_name = request.time_zone
        values["promoted_slots"] = [instant(t, zone_name).isoformat() for t in args.promote_at]
    chosen = reminder_minutes(args)
    if chosen is not None:
        values["reminder_minutes"] = chosen
    return replace(request, **values)


def _minutes(text: str, what: str) -> int:
    return int(minutes(text, what).total_seconds() // 60)


def run_edit(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.invitation_id is None:
        raise ValidationError("Say which invitation to edit: inviteonce invitations edit ID.")
    invitation_id = record_id(args.invitation_id, "invitation")
    request = app.editable(invitation_id)
    if not edits_given(args):
        raise ValidationError("Say what to change, e.g. --subject or --duration.")
    invitation = edited_request(app, request, args).invitation()

    async def edit() -> Any:
        try:
            return await app.edit_invitation(invitation_id, invitation)
        finally:
            app.stop_relay()

    created = asyncio.run(edit())
    if args.json:
        emit_json(
            {
                "id": invitation_id,
                "status": created.invitation.status.value,
                "queued": created.queued,
                "url": created.links.url,
                "promoted": [[s.isoformat(), u] for s, u in created.links.promoted],
            }
        )
        return 0
    if created.queued:
        print(
            f"Invitation {invitation_id} is changed; the new times go out on its links "
            "with the next sync."
        )
    else:
        print(f"Invitation {invitation_id} is changed; its links stay the same.")
    if created.links.url:
        print(created.links.as_text())
    return 0
