"""``inviteonce invite|invitations|meetings|cancel|resend|send|sync``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from typing import Any

from ..application.facade import InviteOnce
from ..application.invitations import CreatedInvitation, EmailState
from ..application.requests import InvitationRequest
from ..core.errors import ValidationError
from ..core.invitation import (
    Invitation,
    InvitationStatus,
    MeetingType,
    SendMode,
    Visibility,
)
from ..core.meeting import Meeting
from ..core.reminders import offsets_text
from ..core.timezones import zone
from .editing import add_edit_options, edits_given, run_edit
from .meetings import run_move
from .output import emit_json, emit_table
from .parsing import instant, minutes, record_id
from .reminders import add_reminder_options, reminder_minutes
from .slots import (
    add_offline_option,
    add_resource_options,
    add_time_frame_options,
    freshness_notes,
    read_calendars_first,
    request_from,
)


def register(commands: Any) -> None:
    invite = commands.add_parser("invite", help="invite a customer to pick a meeting time")
    invite.add_argument("name", help="the external participant's name")
    invite.add_argument("email", help="the external participant's email address")
    details = invite.add_argument_group("meeting details")
    details.add_argument("-s", "--subject", required=True)
    details.add_argument("--description", default="")
    details.add_argument("--conferencing", default="", help="conferencing information")
    details.add_argument(
        "--type", dest="meeting_type", choices=[t.value for t in MeetingType], default="video"
    )
    details.add_argument("--location", default="")
    add_resource_options(invite)
    add_time_frame_options(invite)
    step3 = invite.add_argument_group("notifications")
    step3.add_argument("--send", choices=["email", "links"], default="email")
    step3.add_argument("--promote", type=int, default=0, help="promote N suggested slots")
    step3.add_argument(
        "--promote-at", action="append", default=[], help="promote the slot starting then"
    )
    add_reminder_options(step3)
    step3.add_argument("--no-add-to-calendar", action="store_true")
    step3.add_argument("--no-confirmation-email", action="store_true")
    step3.add_argument(
        "--change-lead",
        help="the customer may reschedule or cancel until this long before the start, e.g. 12h "
        "(default: settings change-lead)",
    )
    advanced = invite.add_argument_group("advanced settings")
    advanced.add_argument("--tz-conversion", choices=["customer", "fixed"], default="customer")
    advanced.add_argument("--fixed-tz", help="the zone shown to the customer when fixed")
    advanced.add_argument("--title", default="{subject} with {participant}")
    advanced.add_argument(
        "--calendar",
        metavar="ACCOUNT[/CALENDAR]",
        help="the calendar the meeting goes to: an account id or name, optionally /CALENDAR, "
        "or built-in (default: your profile's default calendar)",
    )
    advanced.add_argument("--no-invite-customer", action="store_true")
    advanced.add_argument("--visibility", choices=[v.value for v in Visibility], default="default")
    advanced.add_argument("--conferencing-in", choices=["location", "body"], default="body")
    invite.add_argument("--draft", action="store_true", help="save as a draft, send later")
    invite.add_argument(
        "--local-links-ok",
        action="store_true",
        help="email links of the embedded relay even though they open only on this computer",
    )
    add_offline_option(invite)
    invite.add_argument("--json", action="store_true")
    invite.set_defaults(func=run_invite)

    listing = commands.add_parser(
        "invitations",
        help="list invitations, show one's history (invitations show ID), or change an open "
        "one (invitations edit ID)",
    )
    listing.add_argument(
        "action", nargs="?", choices=["show", "edit"], help="show or edit one invitation"
    )
    listing.add_argument("invitation_id", nargs="?", metavar="ID", help="the invitation")
    listing.add_argument("--status", action="append", choices=[s.value for s in InvitationStatus])
    listing.add_argument("--search", default="")
    listing.add_argument("--json", action="store_true")
    add_edit_options(listing)
    listing.set_defaults(func=run_invitations)

    meetings = commands.add_parser(
        "meetings", help="list meetings, or move one (meetings move ID --to TIME)"
    )
    meetings.add_argument("action", nargs="?", choices=["move"], help="move a booked meeting")
    meetings.add_argument("meeting_id", nargs="?", help="the meeting to move")
    meetings.add_argument(
        "--to",
        dest="new_start",
        help="its new start (one of its free slots, e.g. 2027-01-12T10:00)",
    )
    meetings.add_argument("--search", default="")
    meetings.add_argument("--json", action="store_true")
    meetings.set_defaults(func=run_meetings)

    for name, func, text in [
        ("cancel", run_cancel, "cancel an invitation (and its meeting)"),
        ("resend", run_resend, "send an invitation's email again"),
        ("send", run_send, "publish and send a draft"),
    ]:
        command = commands.add_parser(name, help=text)
        command.add_argument("invitation_id", metavar="ID")
        command.set_defaults(func=func)

    sync = commands.add_parser("sync", help="run the outbox and the bookings feed once")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(func=run_sync)


def _request(app: InviteOnce, args: argparse.Namespace) -> InvitationRequest:
    request = request_from(app, args)
    return replace(
        request,
        participant_name=args.name,
        participant_email=args.email,
        subject=args.subject,
        description=args.description,
        conferencing=args.conferencing,
        meeting_type=args.meeting_type,
        location=args.location,
        send_mode=args.send,
        promoted_slots=[instant(t, request.time_zone).isoformat() for t in args.promote_at],
        add_to_calendar_event=not args.no_add_to_calendar,
        send_confirmation_email=not args.no_confirmation_email,
        change_lead_minutes=(
            None
            if args.change_lead is None
            else int(minutes(args.change_lead, "lead time").total_seconds() // 60)
        ),
        time_zone_conversion=args.tz_conversion,
        fixed_time_zone=args.fixed_tz,
        event_title=args.title,
        invite_customer=not args.no_invite_customer,
        visibility=args.visibility,
        conferencing_placement=args.conferencing_in,
        calendar=asyncio.run(app.resolve_calendar(args.calendar)).key() if args.calendar else None,
        reminder_minutes=reminder_minutes(args),
    )


def run_invite(app: InviteOnce, args: argparse.Namespace) -> int:
    request = _request(app, args)
    invitation = request.invitation()
    if not args.draft:
        read_calendars_first(app, request.slot_request(), args.offline)
        counted = app.count_slots_now(request.slot_request())
        for note in freshness_notes(counted, app.profile_zone()):
            print(note, file=sys.stderr)
    if args.promote > 0:
        slots = app.list_slots_now(request.slot_request())
        chosen = app.suggest_promoted(slots, args.promote, invitation.time_frame.time_zone)
        invitation = replace(
            invitation,
            notifications=replace(
                invitation.notifications, promoted_slots=tuple(s.start for s in chosen)
            ),
        )
    if not args.draft:
        _check_link_reach(app, invitation, args.local_links_ok)
    created = asyncio.run(_create(app, invitation, args.draft))
    return _report(created, args)


def _check_link_reach(app: InviteOnce, invitation: Invitation, local_links_ok: bool) -> None:
    """Say when customers cannot open the links; refuse to email such links to them."""
    notice = app.link_notice()
    if notice is None:
        return
    address = invitation.participant.email
    profile = app.profile()
    own_domain = profile.email.rpartition("@")[2].lower() if profile else None
    external = address.rpartition("@")[2].lower() != own_domain
    emailed = invitation.notifications.send_mode is SendMode.EMAIL
    if emailed and external and not local_links_ok:
        raise ValidationError(
            f"{address} could not open the links: {notice[0].lower()}{notice[1:-1]}, "
            "or add --local-links-ok to send them anyway."
        )
    print(f"inviteonce: {notice}", file=sys.stderr)


async def _create(app: InviteOnce, invitation: Invitation, draft: bool) -> CreatedInvitation:
    try:
        return await app.create_invitation(invitation, draft=draft)
    finally:
        app.stop_relay()


def _report(created: CreatedInvitation, args: argparse.Namespace) -> int:
    """Says what happened, truthfully; 1 when the email failed for good."""
    invitation = created.invitation
    code = 1 if created.email.state == EmailState.FAILED or created.publish_failed else 0
    if args.json:
        emit_json(
            {
                "id": invitation.id,
                "status": invitation.status.value,
                "queued": created.queued,
                "publish_problem": created.publish_problem or None,
                "email": created.email.state.value,
                "email_problem": created.email.reason or None,
                "url": created.links.url,
                "promoted": [[s.isoformat(), u] for s, u in created.links.promoted],
            }
        )
        return code
    if args.draft:
        print(
            f"Saved draft invitation {invitation.id}; send it with: inviteonce send {invitation.id}"
        )
        return code
    if created.publish_failed:
        print(f"inviteonce: {created.summary()}", file=sys.stderr)
        return code
    print(created.summary())
    if created.queued:
        print("It goes out with the next sync (inviteonce sync).")
    else:
        print(created.links.as_text())
    if code:
        print(
            f"inviteonce: the invitation email failed: {created.email.reason}",
            file=sys.stderr,
        )
    return code


def run_invitations(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.action == "edit":
        return run_edit(app, args)
    if edits_given(args):
        raise ValidationError("Changes go with edit: inviteonce invitations edit ID --subject ...")
    if args.action == "show":
        if args.invitation_id is None:
            raise ValidationError("Say which invitation to show: inviteonce invitations show ID.")
        return _show(app, _invitation_id(args), args.json)
    if args.invitation_id is not None:
        shown = _invitation_id(args)
        raise ValidationError(f"To see invitation {shown}, use: invitations show ID.")
    statuses = tuple(InvitationStatus(s) for s in args.status or ())
    entries = app.invitation_list(statuses, args.search)
    if args.json:
        emit_json(
            [
                {
                    "id": e.invitation.id,
                    "status": e.invitation.status.value,
                    "participant": e.invitation.participant.name,
                    "email": e.invitation.participant.email,
                    "subject": e.invitation.details.subject,
                    "team_members": e.team_member_names,
                    "url": e.links.url,
                    "created_at": e.invitation.created_at,
                    "expires_at": e.invitation.expires_at,
                    "problem": e.last_error,
                }
                for e in entries
            ]
        )
        return 0
    emit_table(
        ["ID", "STATUS", "PARTICIPANT", "SUBJECT", "TEAM", "LINK"],
        [
            [
                e.invitation.id,
                e.invitation.status.value,
                f"{e.invitation.participant.name} <{e.invitation.participant.email}>",
                e.invitation.details.subject,
                ", ".join(e.team_member_names),
                e.links.url or (e.last_error or "not published yet"),
            ]
            for e in entries
        ],
    )
    return 0


def _show(app: InviteOnce, invitation_id: int, as_json: bool) -> int:
    invitation = app.invitation(invitation_id)
    history = app.invitation_history(invitation_id)
    email = app.email_status(invitation_id)
    tz = zone(app.profile_zone())
    if as_json:
        emit_json(
            {
                "id": invitation.id,
                "status": invitation.status.value,
                "participant": invitation.participant.name,
                "email": invitation.participant.email,
                "subject": invitation.details.subject,
                "email_state": email.state.value,
                "email_problem": email.reason or None,
                "reminder_minutes": [
                    int(r.total_seconds() // 60) for r in invitation.notifications.reminders or ()
                ],
                "history": [{"at": e.at, "kind": e.kind.value, "text": e.text} for e in history],
            }
        )
        return 0
    who = f"{invitation.participant.name} <{invitation.participant.email}>"
    print(f"Invitation {invitation.id}: {invitation.details.subject} with {who}")
    print(f"Status: {invitation.status.value}; the email is {email.sentence()}")
    print(f"Reminders: {offsets_text(invitation.notifications.reminders or ())}")
    for entry in history:
        print(f"  {entry.at.astimezone(tz):%Y-%m-%d %H:%M}  {entry.kind.value:<24} {entry.text}")
    if not history:
        print("  Nothing has happened yet.")
    return 0


def run_meetings(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.action == "move":
        return run_move(app, args)
    meetings = app.meetings(args.search)
    problems = app.calendar_problems()
    names = app.resource_names()
    tz = zone(app.profile_zone())
    if args.json:
        emit_json(
            [
                {
                    "id": m.id,
                    "invitation_id": m.invitation_id,
                    "subject": m.subject,
                    "start": m.start,
                    "end": m.end,
                    "participant": m.participant_name,
                    "email": m.participant_email,
                    "status": m.status.value,
                    "resources": [names.get(k, k) for k in m.resource_keys],
                    "event_uid": m.event_uid,
                    "conflict": m.conflict,
                    "calendar_problem": problems.get(m.id or 0),
                }
                for m in meetings
            ]
        )
        return 0
    emit_table(
        ["ID", "WHEN", "SUBJECT", "PARTICIPANT", "WITH", "STATUS"],
        [
            [
                m.id,
                f"{m.start.astimezone(tz):%a %Y-%m-%d %H:%M}-{m.end.astimezone(tz):%H:%M}",
                m.subject,
                m.participant_name,
                ", ".join(names.get(k, k) for k in m.resource_keys),
                _meeting_status(m, problems.get(m.id or 0)),
            ]
            for m in meetings
        ],
    )
    return 0


def _meeting_status(meeting: Meeting, calendar_problem: str | None) -> str:
    status = meeting.status.value + (" (conflict)" if meeting.conflict else "")
    if calendar_problem:
        status += f" (calendar waiting: {calendar_problem})"
    return status


def _with_relay(app: InviteOnce, coroutine: Any) -> Any:
    async def run() -> Any:
        try:
            return await coroutine
        finally:
            app.stop_relay()

    return asyncio.run(run())


def run_cancel(app: InviteOnce, args: argparse.Namespace) -> int:
    cancelled = _with_relay(app, app.cancel_invitation(_invitation_id(args)))
    print(f"Cancelled invitation {cancelled.id}. {app.cancellation_summary(cancelled)}")
    return 0


def run_resend(app: InviteOnce, args: argparse.Namespace) -> int:
    invitation_id = _invitation_id(args)
    outcome = _with_relay(app, app.resend_invitation(invitation_id))
    email = app.email_status(invitation_id)
    if email.state == EmailState.NONE or outcome.startswith("the meeting"):
        print(f"Invitation {invitation_id}: {outcome}.")
        return 0
    print(f"Invitation {invitation_id}: {outcome}; the email is {email.sentence()}")
    return 1 if email.state == EmailState.FAILED else 0


def run_send(app: InviteOnce, args: argparse.Namespace) -> int:
    created = _with_relay(app, app.send_draft(_invitation_id(args)))
    args.json, args.draft = False, False
    return _report(created, args)


def run_sync(app: InviteOnce, args: argparse.Namespace) -> int:
    report = _with_relay(app, app.sync_once())
    if args.json:
        emit_json(
            {
                "done": report.done,
                "failed": report.failed,
                "bookings": report.bookings,
                "waiting": report.waiting,
            }
        )
    else:
        print(
            f"Synced: {report.bookings} new bookings, {report.done} tasks done, "
            f"{report.failed} failed, {report.waiting} waiting."
        )
    return 0


def _invitation_id(args: argparse.Namespace) -> int:
    return record_id(args.invitation_id, "invitation")
