"""A booked meeting changes: the customer (or the organizer) moves or cancels it.

The relay records each change as a row of the meeting's bookings; the feed
hands them over in order, each with the meeting's UID. A change is applied
once, in one transaction with the outbox jobs it causes: the provider's event
updated in place (same UID, one SEQUENCE more), the customer's update email
(METHOD:REQUEST) and a notice to each team member; a cancellation takes the
path an organizer's cancel takes (the event withdrawn, METHOD:CANCEL, the
team told). A row older than the one the meeting stands on is skipped, so a
replayed or late entry never moves a meeting back.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from ..core.event_ref import MeetingEventRef
from ..core.history import HistoryKind
from ..core.invitation import CalendarChoice, Confirmation, Invitation, InvitationStatus
from ..core.languages import Language
from ..core.meeting import Meeting, MeetingChange, MeetingStatus
from ..services.calendars.base import EventRef
from ..services.relay_client import RelayBooking
from ..store.activity import Invitations, Meetings
from ..store.directory import Directory
from ..store.history import History
from ..store.serialize import event_ref_to_json
from ..store.settings import Settings
from .emails import email_language, render, when_text
from .jobs import Outgoing, UpdateEmail, UpdateEvent, UpdateNotice, enqueue

if TYPE_CHECKING:
    from .bookings import BookingService

CUSTOMER = "customer"
ORGANIZER = "organizer"


def is_newer(booking_id: str | None, row: int) -> bool:
    """Whether the relay's *row* comes after the row the meeting stands on."""
    return booking_id is None or not booking_id.isdigit() or row > int(booking_id)


def record_move(
    session: Session, meeting: Meeting, change: MeetingChange, zone_name: str, now: datetime
) -> Meeting:
    """In *session*: the meeting at its new time, and the jobs that tell everyone."""
    assert meeting.id is not None
    was = meeting.start
    moved = Meetings(session).move(meeting.id, change)
    invitation = Invitations(session).get(meeting.invitation_id)
    when = when_text(moved.start, moved.end, zone_name)
    text = (
        f"The customer moved the meeting to {when}."
        if change.by == CUSTOMER
        else f"Moved to {when}."
    )
    History(session).add(meeting.invitation_id, now, HistoryKind.MOVED, text)
    owner = meeting.invitation_id
    sequence, before = moved.sequence, int(was.timestamp())
    enqueue(session, UpdateEvent(meeting.id, sequence), now, invitation_id=owner)
    enqueue(session, UpdateEmail(meeting.id, sequence, before), now, invitation_id=owner)
    for member_id in invitation.details.team_member_ids:
        enqueue(
            session, UpdateNotice(meeting.id, member_id, sequence, before), now, invitation_id=owner
        )
    return moved


def record_cancel(session: Session, meeting: Meeting, booking_id: str, now: datetime) -> Meeting:
    """In *session*: the customer's cancellation, on the organizer's cancel path."""
    from .bookings import queue_meeting_cancellation

    assert meeting.id is not None
    meetings = Meetings(session)
    meetings.mark_changed(meeting.id, booking_id, CUSTOMER)
    invitations = Invitations(session)
    invitation = invitations.get(meeting.invitation_id)
    queue_meeting_cancellation(session, meeting, invitation, now)
    if invitation.status != InvitationStatus.CANCELLED:
        invitations.save(invitation.moved_to(InvitationStatus.CANCELLED), now)
    History(session).add(
        meeting.invitation_id, now, HistoryKind.CANCELLED, "The customer cancelled the meeting."
    )
    return meetings.get(meeting.id)


class MeetingUpdates:
    """The outbox handlers of a moved meeting: its event, its customer, its team."""

    def __init__(self, bookings: BookingService) -> None:
        self._bookings = bookings

    async def apply(self, booking: RelayBooking, by: str) -> Meeting | None:
        """A change from the relay applied once; None when it names no meeting of ours."""
        service = self._bookings
        workspace, clock = service.workspace, service.clock
        with workspace.session() as session:
            meeting = Meetings(session).by_uid(booking.uid) if booking.uid else None
            current = None if meeting is None else Meetings(session).booking_id(meeting.id or 0)
        if meeting is None or meeting.id is None:
            return None
        if not is_newer(current, booking.id) or meeting.status == MeetingStatus.CANCELLED:
            return meeting
        now = clock.now()
        if booking.change == "cancelled":
            with workspace.session() as session:
                return record_cancel(session, meeting, str(booking.id), now)
        with workspace.session() as session:
            invitation = Invitations(session).get(meeting.invitation_id)
        keys = service.resource_keys(invitation, booking.resource_keys)
        conflict = await service.conflict(invitation, keys, booking)
        change = MeetingChange(
            str(booking.id), booking.start, booking.end, tuple(keys), by, conflict
        )
        zone_name = booking.customer_time_zone or invitation.time_frame.time_zone
        with workspace.session() as session:
            return record_move(session, meeting, change, zone_name, now)

    def _superseded(self, meeting_id: int, sequence: int) -> bool:
        with self._bookings.workspace.session() as session:
            return Meetings(session).sequence(meeting_id) != sequence

    async def handle_update_event(self, job: UpdateEvent) -> dict[str, Any] | None:
        """The provider's event, moved in place: same UID, the provider's own update."""
        service = self._bookings
        meeting, invitation, profile, _ = await asyncio.to_thread(service.load, job.meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            return {"skipped": "cancelled"}
        if await asyncio.to_thread(self._superseded, job.meeting_id, job.sequence):
            return {"skipped": "moved again"}
        with service.workspace.session() as session:
            ref = Meetings(session).event_ref(job.meeting_id)
        if ref is None:
            # The event is not written yet; its job writes the meeting's time as it is now.
            return {"skipped": "no event yet"}
        event = service.event_request(meeting, invitation, profile)
        target = await service.calendar_for(CalendarChoice(ref.account_id))
        if target.provider.kind != "local":
            people = tuple(a for a in event.attendees if "@" in a.email)
            event = replace(event, attendees=people)
        old = EventRef(
            ref.uid, ref.calendar_id, ref.provider_id, ref.join_url, ref.web_link, dict(ref.extra)
        )
        updated = await target.provider.update_event(ref.calendar_id, old, event)
        stored = MeetingEventRef(
            ref.account_id,
            updated.calendar_id or ref.calendar_id,
            updated.provider_id or ref.provider_id,
            ref.uid,
            updated.join_url or ref.join_url,
            updated.web_link or ref.web_link,
            kind=ref.kind,
            extra={**ref.extra, **updated.extra},
        )
        with service.workspace.session() as session:
            Meetings(session).set_event_ref(job.meeting_id, stored, MeetingStatus.CONFIRMED)
            History(session).add(
                meeting.invitation_id,
                service.clock.now(),
                HistoryKind.CALENDAR,
                "The calendar event moved to the new time.",
            )
        return event_ref_to_json(stored)

    async def handle_update_email(self, job: UpdateEmail) -> dict[str, Any] | Outgoing:
        """The customer's update: the new time, METHOD:REQUEST with the meeting's SEQUENCE."""
        from ..services.ics_invite import request_ics

        service = self._bookings
        meeting, invitation, profile, customer_zone = await asyncio.to_thread(
            service.load, job.meeting_id
        )
        if meeting.status == MeetingStatus.CANCELLED:
            return {"skipped": "cancelled"}
        if await asyncio.to_thread(self._superseded, job.meeting_id, job.sequence):
            return {"skipped": "moved again"}
        with service.workspace.session() as session:
            by = Meetings(session).changed_by(job.meeting_id)
        event = service.event_request(meeting, invitation, profile)
        shown = customer_zone or invitation.time_frame.time_zone
        ics = None
        if not await service.provider_invites(meeting, invitation, event):
            people = [(a.name, a.email) for a in event.attendees if "@" in a.email]
            if not any(email == meeting.participant_email for _, email in people):
                people.append((meeting.participant_name, meeting.participant_email))
            ics = request_ics(
                uid=meeting.event_uid,
                title=event.title,
                start=meeting.start,
                end=meeting.end,
                organizer=(profile.name, profile.email),
                attendees=people,
                stamp=service.clock.now(),
                description=event.description,
                location=event.location,
                sequence=job.sequence,
            )
        lang = email_language(profile.language)
        rendered = render(
            "rescheduled",
            lang.gettext("Moved: %(title)s", title=event.title),
            lang=lang,
            participant_name=meeting.participant_name,
            organizer_name=profile.name,
            title=event.title,
            when=when_text(meeting.start, meeting.end, shown, lang),
            was=_was(job.was, meeting, shown, lang),
            location=invitation.details.location,
            conferencing=invitation.details.conferencing,
            manage_url=meeting.manage_url or "",
            by_customer=by != ORGANIZER,
            ics=ics is not None,
        )
        return service.outgoing(
            rendered,
            ("update", f"{meeting.id}.{job.sequence}"),
            profile,
            (meeting.participant_name, meeting.participant_email),
            (meeting.invitation_id, f"Update sent to {meeting.participant_email}"),
            HistoryKind.UPDATE_SENT,
            ics,
        )

    async def handle_update_notice(self, job: UpdateNotice) -> dict[str, Any] | Outgoing:
        service = self._bookings
        meeting, invitation, profile, _ = await asyncio.to_thread(service.load, job.meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            return {"skipped": "cancelled"}
        if await asyncio.to_thread(self._superseded, job.meeting_id, job.sequence):
            return {"skipped": "moved again"}
        with service.workspace.session() as session:
            member = Directory(session).member(job.member_id)
            by = Meetings(session).changed_by(job.meeting_id)
        shown = member.time_zone or invitation.time_frame.time_zone
        lang = email_language(profile.language)
        rendered = render(
            "rescheduled_notice",
            lang.gettext(
                "Moved: %(subject)s with %(participant)s",
                subject=meeting.subject,
                participant=meeting.participant_name,
            ),
            lang=lang,
            member_name=member.name,
            participant_name=meeting.participant_name,
            participant_email=meeting.participant_email,
            subject=meeting.subject,
            when=when_text(meeting.start, meeting.end, shown, lang),
            was=_was(job.was, meeting, shown, lang),
            conflict=meeting.conflict or "",
            by_customer=by != ORGANIZER,
        )
        return service.outgoing(
            rendered,
            ("moved", f"{meeting.id}.{member.id}.{job.sequence}"),
            profile,
            (member.name, member.email),
            (meeting.invitation_id, f"{member.name} told of the new time"),
            HistoryKind.NOTIFIED,
        )


def _was(start: int, meeting: Meeting, zone_name: str, lang: Language) -> str:
    before = datetime.fromtimestamp(start, meeting.start.tzinfo)
    return when_text(before, before + (meeting.end - meeting.start), zone_name, lang)


DEFAULT_CHANGE_LEAD = timedelta(hours=12)
_CHANGE_LEAD = "change_lead"


def change_lead_default(session: Session) -> timedelta:
    """The lead time new invitations get: no changes by the customer within it of the start."""
    stored = Settings(session).get(_CHANGE_LEAD)
    return DEFAULT_CHANGE_LEAD if stored is None else timedelta(minutes=int(stored["minutes"]))


def set_change_lead_default(session: Session, lead: timedelta) -> None:
    Confirmation(change_lead=lead)  # the same limits as an invitation's own
    Settings(session).put(_CHANGE_LEAD, {"minutes": int(lead.total_seconds() // 60)})


def with_change_lead(invitation: Invitation, default: timedelta) -> Invitation:
    """*invitation* with its lead time set: its own, else *default*."""
    notes = invitation.notifications
    if notes.confirmation.change_lead is not None:
        return invitation
    confirmation = replace(notes.confirmation, change_lead=default)
    return replace(invitation, notifications=replace(notes, confirmation=confirmation))
