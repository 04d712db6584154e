"""``inviteonce members|rooms|pools|profile``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..application.facade import InviteOnce
from ..core.branding import Branding
from ..core.errors import ValidationError
from ..core.hours import WeeklyHours
from ..core.languages import LANGUAGES
from ..core.timezones import zone
from .output import emit_json, emit_table
from .parsing import record_id


def register(commands: Any) -> None:
    members = commands.add_parser("members", help="manage team members").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = members.add_parser("add", help="add a team member")
    add.add_argument("name")
    add.add_argument("email")
    add.add_argument("--tz", help="the member's time zone, e.g. America/New_York")
    add.add_argument("--hours", help='working hours, e.g. "Mon-Fri 09:00-17:00"')
    add.set_defaults(func=add_member)
    _listing(members, list_members)
    _remove(members, "team member", lambda app, ref: app.remove_member(ref).name)

    rooms = commands.add_parser("rooms", help="manage rooms").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = rooms.add_parser("add", help="add a room")
    add.add_argument("name")
    add.add_argument("--email", help="the room's calendar address")
    add.add_argument("--capacity", type=int)
    add.set_defaults(func=add_room)
    _listing(rooms, list_rooms)
    _remove(rooms, "room", lambda app, ref: app.remove_room(ref).name)

    pools = commands.add_parser("pools", help="manage resource pools").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = pools.add_parser("add", help="add a resource pool of rooms or team members")
    add.add_argument("name")
    add.add_argument("members", nargs="+", metavar="MEMBER_OR_ROOM")
    add.set_defaults(func=add_pool)
    _listing(pools, list_pools)
    _remove(pools, "resource pool", lambda app, ref: app.remove_pool(ref).name)

    profile = commands.add_parser("profile", help="the organizer's profile").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    put = profile.add_parser("set", help="set name, email and time zone")
    put.add_argument("name")
    put.add_argument("email")
    put.add_argument("time_zone")
    put.set_defaults(func=set_profile)
    brand = profile.add_parser(
        "brand", help="the accent colour, logo and photo on the customer's booking page"
    )
    brand.add_argument("--accent", metavar="#RRGGBB", help="accent colour, e.g. #0b7285")
    brand.add_argument("--logo", type=Path, metavar="FILE", help="PNG, JPEG or WebP, <= 100 KB")
    brand.add_argument("--photo", type=Path, metavar="FILE", help="PNG, JPEG or WebP, <= 100 KB")
    for part in ("accent", "logo", "photo"):
        brand.add_argument(f"--no-{part}", action="store_true", help=f"remove the {part}")
    brand.set_defaults(func=set_branding)
    show = profile.add_parser("show", help="show the profile")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=show_profile)
    calendar = profile.add_parser(
        "calendar", help="show or choose the default calendar booked meetings go to"
    )
    calendar.add_argument(
        "calendar",
        nargs="?",
        metavar="ACCOUNT[/CALENDAR]",
        help="an account id or name, or built-in",
    )
    calendar.set_defaults(func=profile_calendar)


def _listing(parent: Any, func: Any) -> None:
    listing = parent.add_parser("list", help="list them")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=func)


def _remove(parent: Any, what: str, remove: Any) -> None:
    command = parent.add_parser("remove", help=f"remove a {what}")
    command.add_argument("ref", nargs="?", help="name or email, or #ID")
    command.add_argument("--id", metavar="ID", help=f"the {what}'s id")

    def run(app: InviteOnce, args: argparse.Namespace) -> int:
        if (args.ref is None) == (args.id is None):
            raise ValidationError(f"Name the {what} to remove, or give its --id.")
        ref = args.ref if args.id is None else f"#{record_id(args.id, what)}"
        print(f"Removed {remove(app, ref)}.")
        return 0

    command.set_defaults(func=run)


def add_member(app: InviteOnce, args: argparse.Namespace) -> int:
    hours = WeeklyHours.parse(args.hours) if args.hours else None
    member = app.add_member(args.name, args.email, args.tz, hours)
    print(f"Added team member {member.name} <{member.email}> (id {member.id}).")
    return 0


def list_members(app: InviteOnce, args: argparse.Namespace) -> int:
    members = app.members()
    if args.json:
        emit_json(
            [
                {
                    "id": m.id,
                    "name": m.name,
                    "email": m.email,
                    "time_zone": m.time_zone,
                    "working_hours": str(m.working_hours) if m.working_hours else None,
                }
                for m in members
            ]
        )
    else:
        emit_table(
            ["ID", "NAME", "EMAIL", "TIME ZONE", "HOURS"],
            [[m.id, m.name, m.email, m.time_zone or "", m.working_hours or ""] for m in members],
        )
    return 0


def add_room(app: InviteOnce, args: argparse.Namespace) -> int:
    room = app.add_room(args.name, args.email, args.capacity)
    print(f"Added room {room.name} (id {room.id}).")
    return 0


def list_rooms(app: InviteOnce, args: argparse.Namespace) -> int:
    rooms = app.rooms()
    if args.json:
        emit_json(
            [{"id": r.id, "name": r.name, "email": r.email, "capacity": r.capacity} for r in rooms]
        )
    else:
        emit_table(
            ["ID", "NAME", "EMAIL", "CAPACITY"],
            [[r.id, r.name, r.email or "", r.capacity or ""] for r in rooms],
        )
    return 0


def add_pool(app: InviteOnce, args: argparse.Namespace) -> int:
    pool = app.add_pool(args.name, args.members)
    print(f"Added resource pool {pool.name} with {len(pool.member_keys)} members (id {pool.id}).")
    return 0


def list_pools(app: InviteOnce, args: argparse.Namespace) -> int:
    pools = app.pools()
    names = app.resource_names()
    if args.json:
        emit_json(
            [
                {"id": p.id, "name": p.name, "members": [names[k] for k in p.member_keys]}
                for p in pools
            ]
        )
    else:
        emit_table(
            ["ID", "NAME", "MEMBERS"],
            [[p.id, p.name, ", ".join(names[k] for k in p.member_keys)] for p in pools],
        )
    return 0


def set_profile(app: InviteOnce, args: argparse.Namespace) -> int:
    zone(args.time_zone)
    profile = app.set_profile(args.name, args.email, args.time_zone)
    print(f"Profile set: {profile.name} <{profile.email}>, {profile.time_zone}.")
    return 0


def set_branding(app: InviteOnce, args: argparse.Namespace) -> int:
    current = app.branding()
    accent = None if args.no_accent else (args.accent or current.accent_color)
    logo = None if args.no_logo else current.logo
    photo = None if args.no_photo else current.photo
    if args.logo is not None:
        logo = app.read_brand_image(args.logo, "logo")
    if args.photo is not None:
        photo = app.read_brand_image(args.photo, "photo")
    branding = app.set_branding(accent, logo, photo)
    print(f"Booking page branding: {_branding_text(branding)}.")
    return 0


def _branding_text(branding: Branding) -> str:
    if branding.empty:
        return "none"
    parts = [f"accent {branding.accent_color}"] if branding.accent_color else []
    for name, data in (("logo", branding.logo), ("photo", branding.photo)):
        if data:
            parts.append(f"{name} {len(data) // 1024 + 1} KB")
    return ", ".join(parts)


def show_profile(app: InviteOnce, args: argparse.Namespace) -> int:
    profile = app.profile()
    calendar = app.default_calendar()
    data = (
        {
            "name": profile.name,
            "email": profile.email,
            "time_zone": profile.time_zone,
            "language": profile.language,
            "calendar": calendar.key(),
            "calendar_name": app.describe_calendar(calendar),
        }
        if profile
        else None
    )
    if args.json:
        emit_json(data)
    elif data is None:
        print("No profile yet; set one with: inviteonce profile set NAME EMAIL TIME_ZONE")
    else:
        print(f"{data['name']} <{data['email']}>, {data['time_zone']}")
        print(f"Booking page branding: {_branding_text(app.branding())}")
        print(f"Meetings go to: {data['calendar_name']}")
        print(f"Emails are written in: {LANGUAGES[str(data['language'])]}")
    return 0


def profile_calendar(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.calendar is not None:
        app.set_default_calendar(app.parse_calendar(args.calendar))
        print(f"Booked meetings now go to {app.describe_calendar(app.default_calendar())}.")
    else:
        print(f"Booked meetings go to {app.describe_calendar(app.default_calendar())}.")
    return 0
