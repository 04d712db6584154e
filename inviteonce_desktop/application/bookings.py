"""When a customer books: the meeting, the calendar event, the confirmations.

A booking from the relay's feed becomes a meeting in one transaction, together
with the outbox items that write the calendar event and send the emails. The
slot is checked again against the calendars first; a conflict that appeared
meanwhile is flagged on the meeting, not silently dropped: the customer has
booked, and the organizer decides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..core.event_ref import MeetingEventRef
from ..core.history import HistoryKind
from ..core.intervals import Interval
from ..core.invitation import (
    CalendarChoice,
    ConferencingPlacement,
    Invitation,
    InvitationStatus,
    MeetingType,
)
from ..core.meeting import Meeting, MeetingStatus
from ..core.profile import Profile
from ..services.calendars.base import (
    Attendee,
    AttendeeRole,
    CalendarProvider,
    EventRef,
    EventRequest,
    OnlineMeeting,
)
from ..services.relay_client import RelayBooking
from ..store.activity import Invitations, Meetings
from ..store.directory import Directory
from ..store.history import History
from ..store.serialize import event_ref_to_json
from ..store.settings import Settings
from ..store.workspace import Workspace
from .clock import Clock
from .emails import (
    Rendered,
    compose,
    email_language,
    message_id,
    render,
    when_text,
    workspace_tag,
)
from .jobs import (
    CalendarEvent,
    CancelEvent,
    CancellationEmail,
    CancellationNotice,
    ConfirmationEmail,
    Outgoing,
    TeamNotification,
    UpdateEmail,
    UpdateNotice,
    enqueue,
)
from .mail_settings import MailService
from .publishing import ResourceKeys
from .recheck import booked_keys
from .reminders import plan_reminders

MEETING_EMAIL_KINDS = (
    ConfirmationEmail.kind,
    UpdateEmail.kind,
    UpdateNotice.kind,
    TeamNotification.kind,
    CancellationEmail.kind,
    CancellationNotice.kind,
)
CROSSED = (
    "Booked after the invitation was cancelled: the meeting stays cancelled "
    "and the customer is told so."
)

BusySource = Callable[[Sequence[str], datetime, datetime], Awaitable[dict[str, list[Interval]]]]


@dataclass(frozen=True, slots=True)
class EventCalendar:
    """Where a meeting's event is written: the resolved choice, its provider and calendar id."""

    choice: CalendarChoice
    provider: CalendarProvider
    calendar_id: str


CalendarFor = Callable[[CalendarChoice | None], Awaitable[EventCalendar]]
"""The calendar for a choice; None is the organizer's default calendar."""


PROVIDERS_THAT_INVITE = frozenset({"google", "microsoft", "exchange"})
"""Calendar services that email attendees an invitation of their own when an event is written.

For these the provider's invitation is the customer's one calendar entry, and
the confirmation email carries no second REQUEST; Google and Exchange are also
given InviteOnce's UID, so the two would agree anyway. CalDAV servers and the
built-in calendar send nothing, so the confirmation's REQUEST (same UID as the
event) is the customer's entry.
"""


def provider_invites_customer(kind: str, event: EventRequest, customer_email: str) -> bool:
    """Whether writing *event* to a calendar of *kind* sends the customer an invitation."""
    invited = any(a.email.lower() == customer_email.lower() for a in event.attendees)
    return kind in PROVIDERS_THAT_INVITE and event.send_updates and invited


class BookingService:
    def __init__(
        self,
        workspace: Workspace,
        clock: Clock,
        mail: MailService,
        keys: ResourceKeys,
        live_busy: BusySource,
        calendar_for: CalendarFor,
    ) -> None:
        self._workspace = workspace
        self._clock = clock
        self._mail = mail
        self._keys = keys
        self._live_busy = live_busy
        self._calendar_for = calendar_for
        self._tag = workspace_tag(workspace)

    async def process(self, booking: RelayBooking) -> Meeting | None:
        """Turn a booking into a meeting (once); None when it names no invitation of ours."""
        with self._workspace.session() as session:
            existing = Meetings(session).by_booking(str(booking.id))
        if existing is not None:
            return existing
        if booking.change != "booked":
            from .changes import CUSTOMER, MeetingUpdates

            return await MeetingUpdates(self).apply(booking, CUSTOMER)
        try:
            invitation_id = int(booking.invitation_id)
            with self._workspace.session() as session:
                invitation = Invitations(session).get(invitation_id)
        except (ValueError, LookupError):
            return None
        keys = self._resource_keys(invitation, booking.resource_keys)
        conflict = await self._conflict(invitation, keys, booking)
        return self._record(invitation, booking, keys, conflict)

    def record_opened(self, opened: Sequence[tuple[str, datetime]]) -> None:
        """The customer opened the link: once in each invitation's history."""
        with self._workspace.session() as session:
            known = Invitations(session)
            history = History(session)
            for ident, at in opened:
                try:
                    invitation = known.get(int(ident))
                except (ValueError, LookupError):
                    continue
                assert invitation.id is not None
                history.add_once(
                    invitation.id, at, HistoryKind.OPENED, "The customer opened the link."
                )

    def _resource_keys(self, invitation: Invitation, opaque: Sequence[str]) -> list[str]:
        return booked_keys(self._workspace, self._keys, invitation, opaque)

    async def _conflict(
        self, invitation: Invitation, keys: list[str], booking: RelayBooking
    ) -> str | None:
        frame = invitation.time_frame
        start, end = booking.start - frame.buffer_before, booking.end + frame.buffer_after
        busy = await self._live_busy(keys, start, end)
        with self._workspace.session() as session:
            directory = Directory(session)
            names = {m.key: m.name for m in directory.members()}
            names.update({r.key: r.name for r in directory.rooms()})
        clashing = [
            names.get(k, k)
            for k in keys
            if any(i.start < end and i.end > start for i in busy.get(k, []))
        ]
        unknown = [text for k, text in getattr(busy, "unreadable", {}).items() if k in keys]
        if not clashing and not unknown:
            return None
        sentences = [f"{', '.join(clashing)} also has another event at this time."] * bool(clashing)
        return " ".join([*sentences, *unknown])

    def _record(
        self, invitation: Invitation, booking: RelayBooking, keys: list[str], conflict: str | None
    ) -> Meeting:
        assert invitation.id is not None
        now = self._clock.now()
        uid = booking.uid or f"inviteonce-{invitation.id}-{booking.id}@inviteonce"
        meeting = Meeting(
            invitation_id=invitation.id,
            subject=invitation.details.subject,
            start=booking.start,
            end=booking.end,
            participant_name=invitation.participant.name,
            participant_email=invitation.participant.email,
            event_uid=uid,
            resource_keys=tuple(keys),
            conflict=conflict,
            booked_at=booking.booked_at,
            manage_url=booking.manage_url,
        )
        with self._workspace.session() as session:
            invitations = Invitations(session)
            current = invitations.get(invitation.id)
            crossed = current.status == InvitationStatus.CANCELLED
            if crossed:
                meeting = replace(meeting, status=MeetingStatus.CANCELLED, conflict=CROSSED)
            saved = Meetings(session).add(meeting, str(booking.id), booking.customer_time_zone)
            assert saved.id is not None
            when = when_text(saved.start, saved.end, booking.customer_time_zone or "UTC")
            history = History(session)
            booked_at = booking.booked_at or now
            history.add(invitation.id, booked_at, HistoryKind.BOOKED, f"Booked for {when}.")
            if crossed:
                Meetings(session).cancel(saved.id)
                history.add(invitation.id, now, HistoryKind.CANCELLED, CROSSED)
                enqueue(session, CancellationEmail(saved.id), now, invitation_id=invitation.id)
                return saved
            if current.status == InvitationStatus.PENDING:
                invitations.save(current.moved_to(InvitationStatus.SCHEDULED), now)
            enqueue(session, CalendarEvent(saved.id), now, invitation_id=invitation.id)
            if invitation.notifications.confirmation.send_confirmation_email:
                enqueue(session, ConfirmationEmail(saved.id), now, invitation_id=invitation.id)
            for member_id in invitation.details.team_member_ids:
                enqueue(
                    session, TeamNotification(saved.id, member_id), now, invitation_id=invitation.id
                )
            plan_reminders(session, saved, current, now, booked=True)
        return saved

    # Outbox handlers

    def _load(self, meeting_id: int) -> tuple[Meeting, Invitation, Profile, str | None]:
        with self._workspace.session() as session:
            meetings = Meetings(session)
            meeting = meetings.get(meeting_id)
            invitation = Invitations(session).get(meeting.invitation_id)
            profile = Settings(session).profile()
            customer_zone = meetings.customer_time_zone(meeting_id)
        if profile is None:
            raise LookupError("The organizer's profile is missing.")
        return meeting, invitation, profile, customer_zone

    async def handle_calendar_event(self, job: CalendarEvent) -> dict[str, Any] | None:
        meeting, invitation, profile, _ = await asyncio.to_thread(self._load, job.meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            return {"skipped": "cancelled"}
        event = self._event_request(meeting, invitation, profile)
        target = await self._calendar_for(invitation.notifications.advanced.event.calendar)
        if target.provider.kind != "local":
            # A room known only by its key (no mailbox) cannot be invited on a real calendar.
            people = tuple(a for a in event.attendees if "@" in a.email)
            event = replace(event, attendees=people)
        ref = await target.provider.create_event(target.calendar_id, event)
        stored = MeetingEventRef(
            target.choice.account_id,
            ref.calendar_id,
            ref.provider_id,
            ref.uid,
            ref.join_url,
            ref.web_link,
            kind=target.provider.kind,
            extra=dict(ref.extra),
        )
        with self._workspace.session() as session:
            Meetings(session).set_event_ref(meeting.id or 0, stored, MeetingStatus.CONFIRMED)
            History(session).add_once(
                meeting.invitation_id,
                self._clock.now(),
                HistoryKind.CALENDAR,
                "The meeting is in the calendar.",
            )
        return event_ref_to_json(stored)

    async def handle_cancel_event(self, job: CancelEvent) -> dict[str, Any] | None:
        """Cancels the provider's event, with updates to its attendees."""
        with self._workspace.session() as session:
            meetings = Meetings(session)
            ref = meetings.event_ref(job.meeting_id)
            if meetings.get(job.meeting_id).status != MeetingStatus.CANCELLED:
                meetings.cancel(job.meeting_id)  # a job queued before cancelling set it
        if ref is None:
            return {"skipped": "no event"}
        target = await self._calendar_for(CalendarChoice(ref.account_id))
        event_ref = EventRef(ref.uid, ref.calendar_id, ref.provider_id, extra=dict(ref.extra))
        await target.provider.cancel_event(ref.calendar_id, event_ref)
        return {"cancelled": ref.uid}

    def _event_request(
        self, meeting: Meeting, invitation: Invitation, profile: Profile
    ) -> EventRequest:
        details = invitation.details
        settings = invitation.notifications.advanced.event
        with self._workspace.session() as session:
            directory = Directory(session)
            attendees = [
                Attendee(m.email, m.name)
                for m in directory.members_by_ref(list(details.team_member_ids))
            ]
            for key in meeting.resource_keys:
                if key.startswith("room:"):
                    room = directory.room(int(key.split(":")[1]))
                    attendees.append(Attendee(room.email or key, room.name, AttendeeRole.RESOURCE))
        confirmation = invitation.notifications.confirmation
        if confirmation.add_to_calendar_event and settings.invite_customer:
            attendees.append(Attendee(meeting.participant_email, meeting.participant_name))
        description, location = details.description, details.location
        if details.conferencing:
            if settings.conferencing_placement == ConferencingPlacement.LOCATION:
                location = (
                    f"{location} · {details.conferencing}" if location else details.conferencing
                )
            else:
                description = f"{description}\n\n{details.conferencing}".strip()
        online = (
            OnlineMeeting.PROVIDER
            if details.meeting_type == MeetingType.VIDEO and not details.conferencing
            else OnlineMeeting.NONE
        )
        return EventRequest(
            uid=meeting.event_uid,
            title=settings.title(details.subject, invitation.participant),
            start=meeting.start,
            end=meeting.end,
            time_zone=invitation.time_frame.time_zone,
            description=description,
            location=location,
            attendees=tuple(attendees),
            organizer_email=profile.email,
            organizer_name=profile.name,
            online_meeting=online,
            visibility=settings.visibility,
        )

    async def handle_confirmation_email(self, job: ConfirmationEmail) -> dict[str, Any] | Outgoing:
        meeting, invitation, profile, customer_zone = await asyncio.to_thread(
            self._load, job.meeting_id
        )
        if meeting.status == MeetingStatus.CANCELLED:
            return {"skipped": "cancelled"}
        event = self._event_request(meeting, invitation, profile)
        shown_zone = customer_zone or invitation.time_frame.time_zone
        lang = email_language(profile.language)
        rendered = render(
            "confirmation",
            lang.gettext("Confirmed: %(title)s", title=event.title),
            lang=lang,
            participant_name=meeting.participant_name,
            organizer_name=profile.name,
            title=event.title,
            when=when_text(meeting.start, meeting.end, shown_zone, lang),
            location=invitation.details.location,
            conferencing=invitation.details.conferencing,
            manage_url=meeting.manage_url or "",
        )
        ics = None
        if not await self._provider_invites_customer(meeting, invitation, event):
            ics = self._ics(meeting, event, profile, "REQUEST", 0)
        to = (meeting.participant_name, meeting.participant_email)
        return self._outgoing(
            rendered,
            ("confirmation", str(meeting.id)),
            profile,
            to,
            (meeting.invitation_id, f"Confirmation sent to {meeting.participant_email}"),
            HistoryKind.CONFIRMATION_SENT,
            ics,
        )

    async def _provider_invites_customer(
        self, meeting: Meeting, invitation: Invitation, event: EventRequest
    ) -> bool:
        """Whether the calendar that gets the event sends the customer its own invitation."""
        with self._workspace.session() as session:
            ref = Meetings(session).event_ref(meeting.id or 0)
        if ref is not None and ref.kind:
            kind = ref.kind
        else:
            choice = invitation.notifications.advanced.event.calendar
            kind = (await self._calendar_for(choice)).provider.kind
        return provider_invites_customer(kind, event, meeting.participant_email)

    def _ics(
        self, meeting: Meeting, event: EventRequest, profile: Profile, method: str, sequence: int
    ) -> bytes:
        from ..services.ics_invite import request_ics

        people = [(a.name, a.email) for a in event.attendees if "@" in a.email]
        if not any(email == meeting.participant_email for _, email in people):
            people.append((meeting.participant_name, meeting.participant_email))
        return request_ics(
            uid=meeting.event_uid,
            title=event.title,
            start=meeting.start,
            end=meeting.end,
            organizer=(profile.name, profile.email),
            attendees=people,
            stamp=meeting.booked_at or self._clock.now(),
            description=event.description,
            location=event.location,
            sequence=sequence,
            method=method,
        )

    async def handle_team_notification(self, job: TeamNotification) -> dict[str, Any] | Outgoing:
        meeting, invitation, profile, _ = await asyncio.to_thread(self._load, job.meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            return {"skipped": "cancelled"}
        with self._workspace.session() as session:
            member = Directory(session).member(job.member_id)
        shown_zone = member.time_zone or invitation.time_frame.time_zone
        lang = email_language(profile.language)
        rendered = render(
            "team_notification",
            lang.gettext(
                "Booked: %(subject)s with %(participant)s",
                subject=meeting.subject,
                participant=meeting.participant_name,
            ),
            lang=lang,
            member_name=member.name,
            participant_name=meeting.participant_name,
            participant_email=meeting.participant_email,
            subject=meeting.subject,
            when=when_text(meeting.start, meeting.end, shown_zone, lang),
            location=invitation.details.location,
            conferencing=invitation.details.conferencing,
            description=invitation.details.description,
            conflict=meeting.conflict or "",
        )
        return self._outgoing(
            rendered,
            ("notification", f"{meeting.id}.{member.id}"),
            profile,
            (member.name, member.email),
            (meeting.invitation_id, f"{member.name} notified"),
            HistoryKind.NOTIFIED,
        )

    def _outgoing(
        self,
        rendered: Rendered,
        ident: tuple[str, str],
        profile: Profile,
        to: tuple[str, str],
        sent: tuple[int, str],
        kind: HistoryKind,
        ics: bytes | None = None,
        method: str = "REQUEST",
    ) -> Outgoing:
        """*rendered* composed from the organizer to *to*, for the outbox to deliver once.

        Its Message-ID (from *ident*: a kind and an id) is the same on every try,
        so a retried send is recognisably one email; *sent* is the invitation and
        what its history says once it is sent.
        """
        msg_id = message_id(ident[0], ident[1], profile.email, self._tag)
        message = compose(
            rendered,
            sender=profile,
            to=to,
            msg_id=msg_id,
            sent_at=self._clock.now(),
            ics=ics,
            method=method,
        )
        return Outgoing(message, sent[0], sent[1], kind)

    async def handle_cancellation_email(self, job: CancellationEmail) -> Outgoing:
        """The customer's METHOD:CANCEL: the meeting's UID, one SEQUENCE more than they have."""
        meeting, invitation, profile, customer_zone = await asyncio.to_thread(
            self._load, job.meeting_id
        )
        with self._workspace.session() as session:
            sequence = Meetings(session).sequence(job.meeting_id)
            by_customer = Meetings(session).changed_by(job.meeting_id) == "customer"
        event = self._event_request(meeting, invitation, profile)
        crossed = meeting.conflict == CROSSED
        lang = email_language(profile.language)
        rendered = render(
            "cancellation",
            lang.gettext("Cancelled: %(title)s", title=event.title),
            lang=lang,
            participant_name=meeting.participant_name,
            organizer_name=profile.name,
            title=event.title,
            when=when_text(
                meeting.start, meeting.end, customer_zone or invitation.time_frame.time_zone, lang
            ),
            reason=lang.gettext(
                "The organizer had cancelled this invitation just before your booking arrived."
            )
            if crossed
            else lang.gettext("You cancelled it with your meeting's link.")
            if by_customer
            else "",
        )
        return self._outgoing(
            rendered,
            ("cancellation", str(meeting.id)),
            profile,
            (meeting.participant_name, meeting.participant_email),
            (meeting.invitation_id, f"Cancellation sent to {meeting.participant_email}"),
            HistoryKind.CANCELLATION_SENT,
            self._ics(meeting, event, profile, "CANCEL", sequence),
            "CANCEL",
        )

    async def handle_cancellation_notice(self, job: CancellationNotice) -> Outgoing:
        meeting, invitation, profile, _ = await asyncio.to_thread(self._load, job.meeting_id)
        with self._workspace.session() as session:
            member = Directory(session).member(job.member_id)
            by_customer = Meetings(session).changed_by(job.meeting_id) == "customer"
        lang = email_language(profile.language)
        rendered = render(
            "cancellation_notice",
            lang.gettext(
                "Cancelled: %(subject)s with %(participant)s",
                subject=meeting.subject,
                participant=meeting.participant_name,
            ),
            lang=lang,
            member_name=member.name,
            participant_name=meeting.participant_name,
            participant_email=meeting.participant_email,
            subject=meeting.subject,
            when=when_text(
                meeting.start,
                meeting.end,
                member.time_zone or invitation.time_frame.time_zone,
                lang,
            ),
            reason=lang.gettext("The customer cancelled it.") if by_customer else "",
        )
        return self._outgoing(
            rendered,
            ("cancelled", f"{meeting.id}.{member.id}"),
            profile,
            (member.name, member.email),
            (meeting.invitation_id, f"{member.name} told of the cancellation"),
            HistoryKind.NOTIFIED,
        )

    # What a meeting's later changes (see .changes) share with its booking

    @property
    def workspace(self) -> Workspace:
        return self._workspace

    @property
    def clock(self) -> Clock:
        return self._clock

    async def calendar_for(self, choice: CalendarChoice | None) -> EventCalendar:
        return await self._calendar_for(choice)

    load = _load
    event_request = _event_request
    outgoing = _outgoing
    resource_keys = _resource_keys
    conflict = _conflict
    provider_invites = _provider_invites_customer


def queue_meeting_cancellation(
    session: Session, meeting: Meeting, invitation: Invitation, now: datetime
) -> None:
    """In *session*: the meeting cancelled, its event withdrawn, the customer and team told."""
    assert meeting.id is not None and invitation.id is not None
    meetings = Meetings(session)
    if meetings.get(meeting.id).status == MeetingStatus.CANCELLED:
        return
    meetings.cancel(meeting.id)
    enqueue(session, CancelEvent(meeting.id), now, invitation_id=invitation.id)
    enqueue(session, CancellationEmail(meeting.id), now, invitation_id=invitation.id)
    for member_id in invitation.details.team_member_ids:
        enqueue(
            session, CancellationNotice(meeting.id, member_id), now, invitation_id=invitation.id
        )
