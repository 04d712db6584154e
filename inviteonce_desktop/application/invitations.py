"""Invitations: create, publish, send or copy, cancel, resend; drafts and templates."""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ..core.availability import Slot, count_slots, explain_no_slots, find_slots
from ..core.errors import NoAvailableSlots, ValidationError
from ..core.history import HistoryEntry, HistoryKind
from ..core.invitation import Invitation, InvitationStatus, Participant, SendMode
from ..core.profile import Profile
from ..core.promotion import suggest_promoted
from ..core.resources import member_key, room_key
from ..core.timezones import zone
from ..store.activity import Drafts, Invitations, Meetings
from ..store.calendar_data import BusyCache
from ..store.directory import Directory
from ..store.history import History
from ..store.outbox import DONE, FAILED, Outbox
from ..store.settings import Settings
from ..store.workspace import Workspace
from .bookings import MEETING_EMAIL_KINDS, BookingService, queue_meeting_cancellation
from .changes import MeetingUpdates
from .clock import Clock
from .emails import (
    Rendered,
    compose,
    duration_text,
    email_language,
    message_id,
    render,
    slot_label,
    workspace_tag,
)
from .jobs import (
    CalendarEvent,
    CancelEvent,
    CancellationEmail,
    CancellationNotice,
    CancelOffer,
    ConfirmationEmail,
    Handlers,
    InvitationEmail,
    Outgoing,
    Publish,
    TeamNotification,
    UpdateEmail,
    UpdateEvent,
    UpdateNotice,
    enqueue,
)
from .links import InvitationLinks
from .mail_settings import MailService
from .publishing import ResourceKeys, build_offer, slots_digest
from .relay_host import RelayHost
from .reminders import default_reminders
from .requests import InvitationRequest, slot_request
from .schedules import build_query

STALE_AFTER = timedelta(minutes=5)
"""Cached free/busy older than this is read again before an invitation is published."""
TEMPLATE_PREFIX = "template:"
LAST_USED = "last_used"
EXAMPLE_URL = "https://relay.example/i/your-link"
_EXAMPLE = InvitationLinks(EXAMPLE_URL, [], "UTC")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translated later"
    return message


# How an invitation email names the kind of meeting, inside a sentence.
_MEETING_TYPES = {
    "in_person": N_("in person"),
    "phone": N_("phone call"),
    "video": N_("video call"),
}


class EmailState(StrEnum):
    NONE = "none"
    """No email goes out (links mode, or not published yet)."""
    SENT = "sent"
    QUEUED = "queued"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class EmailStatus:
    """Where the invitation's email is, and why when it is not sent."""

    state: EmailState = EmailState.NONE
    reason: str = ""

    def sentence(self) -> str:
        """ "sent", "queued: REASON" or "failed: REASON", to follow "the email is"."""
        if self.state in (EmailState.QUEUED, EmailState.FAILED) and self.reason:
            return f"{self.state.value}: {self.reason}"
        return self.state.value


@dataclass(frozen=True, slots=True)
class CreatedInvitation:
    invitation: Invitation
    links: InvitationLinks
    queued: bool
    """True while publishing waits for the network; the links come when it is back."""
    email: EmailStatus = EmailStatus()
    publish_problem: str = ""
    """Why publishing waits or failed, when it does."""
    publish_failed: bool = False
    """Publishing was refused for good (no slots left, say); sending the draft tries again."""

    def summary(self) -> str:
        """One sentence on what happened, true to the outbox: nothing said is sent is not."""
        ident, who = self.invitation.id, self.invitation.participant.email
        if self.publish_failed:
            return f"Invitation {ident} could not be published: {self.publish_problem}"
        if self.queued:
            reason = f": {self.publish_problem}" if self.publish_problem else ""
            return (
                f"Invitation {ident} is saved and will be published and emailed when "
                f"the relay can be reached{reason}" + ("" if reason.endswith(".") else ".")
            )
        if self.email.state == EmailState.NONE:
            return f"Invitation {ident} published; send these links yourself."
        if self.email.state == EmailState.SENT:
            return f"Invitation {ident} published and emailed to {who}."
        return f"Invitation {ident} published; the email to {who} is {self.email.sentence()}"


@dataclass(frozen=True, slots=True)
class EmailPreview:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class InvitationEntry:
    invitation: Invitation
    links: InvitationLinks
    team_member_names: list[str]
    last_error: str | None


class InvitationService:
    def __init__(
        self,
        workspace: Workspace,
        clock: Clock,
        relay: RelayHost,
        mail: MailService,
        keys: ResourceKeys,
        refresh_calendars: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._workspace = workspace
        self._clock = clock
        self._relay = relay
        self._mail = mail
        self._keys = keys
        self._refresh_calendars = refresh_calendars
        self._tag = workspace_tag(workspace)

    # Creating

    async def create(self, invitation: Invitation, *, draft: bool = False) -> Invitation:
        """Save the invitation; unless a draft, queue its publishing (and its email)."""
        if not draft:
            await asyncio.to_thread(self._require_slots, invitation)
        return self._save_new(invitation, draft)

    def require_slots(self, invitation: Invitation) -> None:
        """NoAvailableSlots, saying why, when *invitation* offers no time (blocking)."""
        self._require_slots(invitation)

    def _require_slots(self, invitation: Invitation) -> None:
        query, _ = build_query(self._workspace, slot_request(invitation), self._clock.now())
        if count_slots(query) == 0:
            raise NoAvailableSlots(
                f"The invitation has no available time slots: {explain_no_slots(query)}"
            )

    def _save_new(self, invitation: Invitation, draft: bool) -> Invitation:
        now = self._clock.now()
        invitation = self.with_reminders(invitation)
        with self._workspace.session() as session:
            Directory(session).members_by_ref(list(invitation.details.team_member_ids))
            stored = replace(
                invitation,
                status=InvitationStatus.DRAFT,
                token=None,
                expires_at=invitation.time_frame.ends_at(now),
            )
            saved = Invitations(session).add(stored, now)
            Settings(session).put(LAST_USED, _template_json(saved))
            if not draft:
                assert saved.id is not None
                enqueue(session, Publish(saved.id), now)
        return saved

    def with_reminders(self, invitation: Invitation) -> Invitation:
        """*invitation* with the workspace's default reminders when it names none."""
        if invitation.notifications.reminders is not None:
            return invitation
        notes = replace(invitation.notifications, reminders=default_reminders(self._workspace))
        return replace(invitation, notifications=notes)

    def created(self, invitation_id: int | None, *, draft: bool = False) -> CreatedInvitation:
        """The invitation as it is now; queued while publishing still waits for the network."""
        invitation = self.get(invitation_id)
        assert invitation.id is not None
        queued = not draft and invitation.status == InvitationStatus.DRAFT
        with self._workspace.session() as session:
            outbox = Outbox(session)
            problem = outbox.problem(invitation_id=invitation.id, kinds=(Publish.kind,))
            publish = outbox.get(Publish(invitation.id).key)
        failed = queued and publish is not None and publish.status == FAILED
        return CreatedInvitation(
            invitation,
            self.links(invitation.id),
            queued and not failed,
            self.email_status(invitation.id),
            problem or "",
            failed,
        )

    def email_status(self, invitation_id: int) -> EmailStatus:
        """Where the newest invitation email of *invitation_id* is."""
        with self._workspace.session() as session:
            Invitations(session).get(invitation_id)
            items = [
                i
                for i in Outbox(session).of(invitation_id=invitation_id)
                if i.kind == InvitationEmail.kind
            ]
        if not items:
            return EmailStatus()
        newest = items[-1]
        if newest.status == DONE:
            return EmailStatus(EmailState.SENT)
        reason = newest.last_error or "it goes out with the next sync"
        if newest.status == FAILED:
            return EmailStatus(EmailState.FAILED, reason)
        return EmailStatus(EmailState.QUEUED, reason)

    def history(self, invitation_id: int) -> builtins.list[HistoryEntry]:
        """What happened to the invitation, oldest first."""
        with self._workspace.session() as session:
            Invitations(session).get(invitation_id)
            return History(session).of(invitation_id)

    async def send_draft(self, invitation_id: int) -> None:
        """Queue a saved draft's publishing."""
        invitation = self.get(invitation_id)
        if invitation.status != InvitationStatus.DRAFT:
            raise ValidationError("Only a draft can be sent.")
        await asyncio.to_thread(self._require_slots, invitation)
        now = self._clock.now()
        with self._workspace.session() as session:
            item = enqueue(session, Publish(invitation_id), now, reopen=True)
            Outbox(session).make_due(item.idempotency_key, now)

    # Reading

    def get(self, invitation_id: int | None) -> Invitation:
        with self._workspace.session() as session:
            return Invitations(session).get(invitation_id)

    def links(self, invitation_id: int) -> InvitationLinks:
        with self._workspace.session() as session:
            data = Invitations(session).links(invitation_id)
        return InvitationLinks.from_json(data) if data else InvitationLinks()

    def list(
        self, statuses: tuple[InvitationStatus, ...] = (), search: str = ""
    ) -> builtins.list[InvitationEntry]:
        self.expire_overdue()
        with self._workspace.session() as session:
            names = {m.id: m.name for m in Directory(session).members()}
            outbox = Outbox(session)
            result = []
            for invitation in Invitations(session).list(statuses, search):
                assert invitation.id is not None
                data = Invitations(session).links(invitation.id)
                problem = outbox.problem(
                    invitation_id=invitation.id, kinds=(Publish.kind, InvitationEmail.kind)
                )
                result.append(
                    InvitationEntry(
                        invitation,
                        InvitationLinks.from_json(data) if data else InvitationLinks(),
                        [names.get(i, "?") for i in invitation.details.team_member_ids],
                        problem,
                    )
                )
            return result

    def expire_overdue(self) -> int:
        now = self._clock.now()
        expired = 0
        with self._workspace.session() as session:
            invitations = Invitations(session)
            for invitation in invitations.list((InvitationStatus.PENDING,)):
                if invitation.expires_at is not None and invitation.expires_at <= now:
                    invitations.save(invitation.moved_to(InvitationStatus.EXPIRED), now)
                    expired += 1
        return expired

    # Changing

    async def cancel(self, invitation_id: int) -> Invitation:
        """Cancel the invitation, and its meeting: the customer and the team are told, once."""
        now = self._clock.now()
        with self._workspace.session() as session:
            invitations = Invitations(session)
            invitation = invitations.get(invitation_id)
            if invitation.status == InvitationStatus.CANCELLED:
                return invitation
            cancelled = invitations.save(invitation.moved_to(InvitationStatus.CANCELLED), now)
            History(session).add(invitation_id, now, HistoryKind.CANCELLED, "Cancelled.")
            if invitation.token is not None:
                enqueue(session, CancelOffer(invitation_id), now)
            meeting = Meetings(session).for_invitation(invitation_id)
            if meeting is not None:
                queue_meeting_cancellation(session, meeting, invitation, now)
        return cancelled

    def cancellation_summary(self, invitation: Invitation) -> str:
        """Who has been told of the cancellation so far, and why the rest wait."""
        assert invitation.id is not None
        with self._workspace.session() as session:
            meeting = Meetings(session).for_invitation(invitation.id)
            items = (
                []
                if meeting is None
                else [
                    i
                    for i in Outbox(session).of(meeting_id=meeting.id)
                    if i.kind in (CancellationEmail.kind, CancellationNotice.kind)
                ]
            )
        if meeting is None:
            return "Its link no longer books." if invitation.token else ""
        sent = sum(1 for i in items if i.status == DONE)
        unsent = [i for i in items if i.status != DONE]
        if not unsent:
            return f"The customer and the team are told ({sent} emails sent)."
        reason = next((i.last_error for i in reversed(unsent) if i.last_error), None)
        state = "failed" if all(i.status == FAILED for i in unsent) else "queued"
        return f"{sent} of {len(items)} cancellation emails sent; the others are {state}" + (
            f": {reason}" if reason else "."
        )

    async def resend(self, invitation_id: int) -> str:
        """Send the invitation's email again, or its meeting's unsent emails; what it did.

        An email still queued (or failed) is tried again rather than queued twice.
        """
        invitation = self.get(invitation_id)
        now = self._clock.now()
        if invitation.status == InvitationStatus.SCHEDULED:
            retried = self._retry_unsent(invitation_id, MEETING_EMAIL_KINDS, now)
            if not retried:
                raise ValidationError(
                    f"Every email of invitation {invitation_id}'s meeting has been sent."
                )
            outcome = "the meeting's unsent emails are tried again"
        elif invitation.status != InvitationStatus.PENDING:
            raise ValidationError(
                "Only an invitation that waits for the customer, or a scheduled one, can be resent."
            )
        elif self._retry_unsent(invitation_id, (InvitationEmail.kind,), now):
            outcome = "the queued email is tried again"
        else:
            with self._workspace.session() as session:
                sent = [
                    i
                    for i in Outbox(session).of(invitation_id=invitation_id)
                    if i.kind == InvitationEmail.kind
                ]
                enqueue(session, InvitationEmail(invitation_id, len(sent) + 1), now)
            outcome = "a new email is queued"
        return outcome

    def _retry_unsent(self, invitation_id: int, kinds: tuple[str, ...], now: datetime) -> int:
        with self._workspace.session() as session:
            outbox = Outbox(session)
            unsent = [
                i
                for i in outbox.of(invitation_id=invitation_id)
                if i.kind in kinds and i.status != DONE
            ]
            for item in unsent:
                outbox.make_due(item.idempotency_key, now)
        return len(unsent)

    # Step 3 helpers

    def preview_email(self, invitation: Invitation) -> EmailPreview:
        rendered = self._render_invitation(invitation, _EXAMPLE, self._profile())
        return EmailPreview(rendered.subject, rendered.text, rendered.html)

    def suggest_promoted(
        self, slots: builtins.list[Slot], count: int, time_zone: str
    ) -> builtins.list[Slot]:
        return suggest_promoted(slots, count, zone(time_zone))

    # Drafts and templates

    def save_draft(self, request: InvitationRequest, draft_id: int | None = None) -> int:
        with self._workspace.session() as session:
            return Drafts(session).save(
                request.to_json(), request.title(), self._clock.now(), draft_id
            )

    def drafts(self) -> builtins.list[tuple[int, str, datetime]]:
        with self._workspace.session() as session:
            return Drafts(session).list()

    def load_draft(self, draft_id: int) -> InvitationRequest:
        with self._workspace.session() as session:
            return InvitationRequest.from_json(Drafts(session).load(draft_id))

    def delete_draft(self, draft_id: int) -> None:
        with self._workspace.session() as session:
            Drafts(session).delete(draft_id)

    def save_template(self, name: str, invitation: Invitation) -> None:
        if not name.strip():
            raise ValidationError("The template needs a name.")
        with self._workspace.session() as session:
            Settings(session).put(TEMPLATE_PREFIX + name.strip(), _template_json(invitation))

    def templates(self) -> builtins.list[str]:
        with self._workspace.session() as session:
            keys = Settings(session).keys(TEMPLATE_PREFIX)
        return sorted(k.removeprefix(TEMPLATE_PREFIX) for k in keys)

    def template(self, name: str, participant: Participant) -> Invitation:
        with self._workspace.session() as session:
            data = Settings(session).get(TEMPLATE_PREFIX + name)
        if data is None:
            raise ValidationError(f"There is no template called '{name}'.")
        return _from_template(data, participant)

    def last_used(self, participant: Participant) -> Invitation | None:
        with self._workspace.session() as session:
            data = Settings(session).get(LAST_USED)
        return None if data is None else _from_template(data, participant)

    # Outbox handlers

    async def handle_publish(self, job: Publish) -> dict[str, Any] | None:
        invitation = self.get(job.id)
        if invitation.status not in (InvitationStatus.DRAFT, InvitationStatus.PENDING):
            return {"skipped": invitation.status.value}
        profile = self._profile()
        await self._refresh_if_stale(invitation)
        slots = await asyncio.to_thread(self._slots, invitation)
        if not slots:
            raise NoAvailableSlots("The invitation has no available time slots anymore.")
        assert invitation.id is not None and invitation.expires_at is not None
        with self._workspace.session() as session:
            branding = Settings(session).branding()
        offer = build_offer(invitation, slots, profile, self._keys, invitation.expires_at, branding)
        async with self._relay.client() as relay:
            published = await relay.publish(str(invitation.id), offer)
        shown_zone = offer.fixed_time_zone or invitation.time_frame.time_zone
        links = InvitationLinks(published.url, sorted(published.promoted_urls.items()), shown_zone)
        now = self._clock.now()
        with self._workspace.session() as session:
            invitations = Invitations(session)
            current = invitations.get(invitation.id)
            if current.status not in (InvitationStatus.DRAFT, InvitationStatus.PENDING):
                # cancelled while the offer was on its way: the cancel's job withdraws it
                return {"skipped": current.status.value}
            pending = replace(current, token=published.token).moved_to(InvitationStatus.PENDING)
            invitations.save(pending, now)
            invitations.set_links(
                invitation.id, {**links.to_json(), "slots_digest": slots_digest(offer.slots)}
            )
            History(session).add_once(
                invitation.id, now, HistoryKind.PUBLISHED, f"Published on the relay: {links.url}"
            )
            if invitation.notifications.send_mode == SendMode.EMAIL:
                enqueue(session, InvitationEmail(invitation.id, 1), now)
        return {"token": published.token}

    async def _refresh_if_stale(self, invitation: Invitation) -> None:
        """Free/busy read again before publishing when the cached copy is older than a refresh.

        An invitation made offline is published later; its links must not offer
        time that became busy meanwhile.
        """
        if self._refresh_calendars is None:
            return
        details = invitation.details
        keys = [member_key(i) for i in details.team_member_ids]
        keys += [room_key(i) for i in details.room_ids]
        with self._workspace.session() as session:
            fetched = BusyCache(session).fetched_at(keys)
        limit = self._clock.now() - STALE_AFTER
        if any(at < limit for at in fetched.values()):
            await self._refresh_calendars()

    def _slots(self, invitation: Invitation) -> builtins.list[Slot]:
        query, _ = build_query(self._workspace, slot_request(invitation), self._clock.now())
        return find_slots(query)

    def slots_now(self, invitation: Invitation) -> builtins.list[Slot]:
        """The invitation's slots as the calendars have them now (blocking)."""
        return self._slots(invitation)

    def profile_for_offer(self) -> Profile:
        return self._profile()

    async def handle_invitation_email(self, job: InvitationEmail) -> dict[str, Any] | Outgoing:
        invitation = self.get(job.id)
        if invitation.status != InvitationStatus.PENDING:
            return {"skipped": invitation.status.value}
        assert invitation.id is not None
        profile = self._profile()
        rendered = self._render_invitation(invitation, self.links(invitation.id), profile)
        msg_id = message_id("invitation", f"{invitation.id}.{job.n}", profile.email, self._tag)
        message = compose(
            rendered,
            sender=profile,
            to=(invitation.participant.name, invitation.participant.email),
            msg_id=msg_id,
            sent_at=self._clock.now(),
        )
        again = " again" if job.n > 1 else ""
        sent = f"Invitation emailed{again} to {invitation.participant.email}"
        return Outgoing(message, invitation.id, sent)

    async def handle_cancel_offer(self, job: CancelOffer) -> dict[str, Any] | None:
        async with self._relay.client() as relay:
            known = await relay.cancel(str(job.id))
        return {"known": known}

    def _render_invitation(
        self, invitation: Invitation, links: InvitationLinks, profile: Profile
    ) -> Rendered:
        details = invitation.details
        example = links is _EXAMPLE
        lang = email_language(profile.language)
        shown_zone = _shown_zone(invitation, profile) if example else links.time_zone
        promoted = [
            {"label": slot_label(start, shown_zone, lang), "url": url}
            for start, url in links.promoted
        ]
        if example and invitation.notifications.promoted_slots:
            promoted = [
                {"label": slot_label(start, shown_zone, lang), "url": EXAMPLE_URL}
                for start in invitation.notifications.promoted_slots
            ]
        note = (
            lang.gettext("The booking page shows the times in your own time zone.")
            if not links.promoted
            and invitation.notifications.advanced.time_zone_conversion.value == "customer"
            else ""
        )
        facts = [
            duration_text(details.duration, lang),
            lang.gettext(_MEETING_TYPES[details.meeting_type.value]),
        ]
        return render(
            "invitation",
            lang.gettext(
                "%(organizer)s invites you to pick a time: %(subject)s",
                organizer=profile.name,
                subject=details.subject,
            ),
            lang=lang,
            participant_name=invitation.participant.name,
            organizer_name=profile.name,
            subject=details.subject,
            details=", ".join([*facts, *([details.location] if details.location else [])]),
            promoted=promoted,
            url=links.url or EXAMPLE_URL,
            times_note=note,
        )

    def _profile(self) -> Profile:
        with self._workspace.session() as session:
            profile = Settings(session).profile()
        if profile is None:
            raise ValidationError("Set your name, email and time zone in Settings, Profile first.")
        return profile


def outbox_handlers(invitations: InvitationService, bookings: BookingService) -> Handlers:
    """Every kind of outbox job, with the service method that does it."""
    updates = MeetingUpdates(bookings)
    return (
        Handlers()
        .add(Publish, invitations.handle_publish)
        .add(InvitationEmail, invitations.handle_invitation_email)
        .add(CancelOffer, invitations.handle_cancel_offer)
        .add(CalendarEvent, bookings.handle_calendar_event)
        .add(CancelEvent, bookings.handle_cancel_event)
        .add(ConfirmationEmail, bookings.handle_confirmation_email)
        .add(TeamNotification, bookings.handle_team_notification)
        .add(CancellationEmail, bookings.handle_cancellation_email)
        .add(CancellationNotice, bookings.handle_cancellation_notice)
        .add(UpdateEvent, updates.handle_update_event)
        .add(UpdateEmail, updates.handle_update_email)
        .add(UpdateNotice, updates.handle_update_notice)
    )


def _shown_zone(invitation: Invitation, profile: Profile) -> str:
    advanced = invitation.notifications.advanced
    if advanced.time_zone_conversion.value == "fixed":
        return advanced.fixed_time_zone or profile.time_zone
    return invitation.time_frame.time_zone


def _template_json(invitation: Invitation) -> dict[str, Any]:
    """A template is a request's JSON without its participant and promoted slots."""
    request = InvitationRequest.from_invitation(invitation)
    request.promoted_slots = []
    data = request.to_json()
    del data["participant"]
    return data


def _from_template(data: dict[str, Any], participant: Participant) -> Invitation:
    return InvitationRequest.from_json(data).for_participant(participant).invitation()
