"""Invitations: create, publish, send or copy, cancel, resend; drafts and templates."""

from __future__ import annotations

import asyncio
import builtins
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..core.availability import Slot, count_slots, explain_no_slots, find_slots
from ..core.errors import NoAvailableSlots, ValidationError
from ..core.invitation import Invitation, InvitationStatus, Participant, SendMode
from ..core.profile import Profile
from ..core.promotion import suggest_promoted
from ..core.timezones import zone
from ..store.activity import Drafts, Invitations, Meetings
from ..store.directory import Directory
from ..store.outbox import Outbox
from ..store.settings import Settings
from ..store.workspace import Workspace
from .clock import Clock
from .emails import (
    Rendered,
    compose,
    duration_text,
    message_id,
    render,
    slot_label,
    workspace_tag,
)
from .links import InvitationLinks
from .mail_settings import MailService
from .publishing import ResourceKeys, build_offer, slots_digest
from .relay_host import RelayHost
from .requests import InvitationRequest, slot_request
from .schedules import build_query

TEMPLATE_PREFIX = "template:"
LAST_USED = "last_used"
EXAMPLE_URL = "https://relay.example/i/your-link"
_EXAMPLE = InvitationLinks(EXAMPLE_URL, [], "UTC")


@dataclass(frozen=True, slots=True)
class CreatedInvitation:
    invitation: Invitation
    links: InvitationLinks
    queued: bool
    """True while publishing waits for the network; the links come when it is back."""


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
    ) -> None:
        self._workspace = workspace
        self._clock = clock
        self._relay = relay
        self._mail = mail
        self._keys = keys
        self._tag = workspace_tag(workspace)

    # Creating

    async def create(self, invitation: Invitation, *, draft: bool = False) -> Invitation:
        """Save the invitation; unless a draft, queue its publishing (and its email)."""
        if not draft:
            await asyncio.to_thread(self._require_slots, invitation)
        return self._save_new(invitation, draft)

    def _require_slots(self, invitation: Invitation) -> None:
        query, _ = build_query(self._workspace, slot_request(invitation), self._clock.now())
        if count_slots(query) == 0:
            raise NoAvailableSlots(
                f"The invitation has no available time slots: {explain_no_slots(query)}"
            )

    def _save_new(self, invitation: Invitation, draft: bool) -> Invitation:
        now = self._clock.now()
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
                Outbox(session).add("publish", f"publish:{saved.id}", {"id": saved.id}, now)
        return saved

    def created(self, invitation_id: int | None, *, draft: bool = False) -> CreatedInvitation:
        """The invitation as it is now; queued while publishing still waits for the network."""
        invitation = self.get(invitation_id)
        assert invitation.id is not None
        queued = not draft and invitation.status == InvitationStatus.DRAFT
        return CreatedInvitation(invitation, self.links(invitation.id), queued)

    async def send_draft(self, invitation_id: int) -> None:
        """Queue a saved draft's publishing."""
        invitation = self.get(invitation_id)
        if invitation.status != InvitationStatus.DRAFT:
            raise ValidationError("Only a draft can be sent.")
        await asyncio.to_thread(self._require_slots, invitation)
        now = self._clock.now()
        key = f"publish:{invitation_id}"
        with self._workspace.session() as session:
            outbox = Outbox(session)
            outbox.add("publish", key, {"id": invitation_id}, now)
            outbox.make_due(key, now)

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
                    f"publish:{invitation.id}", f"invitation-email:{invitation.id}:"
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
        now = self._clock.now()
        with self._workspace.session() as session:
            invitations = Invitations(session)
            invitation = invitations.get(invitation_id)
            was_published = invitation.token is not None
            cancelled = invitations.save(invitation.moved_to(InvitationStatus.CANCELLED), now)
            if was_published:
                key = f"cancel:{invitation_id}"
                Outbox(session).add("cancel_offer", key, {"id": invitation_id}, now)
            meeting = Meetings(session).for_invitation(invitation_id)
            if meeting is not None and meeting.id is not None:
                key = f"cancel-event:{meeting.id}"
                Outbox(session).add("cancel_event", key, {"meeting_id": meeting.id}, now)
        return cancelled

    async def resend(self, invitation_id: int) -> None:
        invitation = self.get(invitation_id)
        if invitation.status != InvitationStatus.PENDING:
            raise ValidationError("Only an invitation that waits for the customer can be resent.")
        now = self._clock.now()
        with self._workspace.session() as session:
            links = Invitations(session).links(invitation_id)
            count = int(links.get("sent", 0)) + 1
            key = f"invitation-email:{invitation_id}:{count}"
            payload = {"id": invitation_id, "n": count}
            Outbox(session).add("invitation_email", key, payload, now)

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

    async def handle_publish(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        invitation = self.get(payload["id"])
        if invitation.status not in (InvitationStatus.DRAFT, InvitationStatus.PENDING):
            return {"skipped": invitation.status.value}
        profile = self._profile()
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
            pending = replace(current, token=published.token).moved_to(InvitationStatus.PENDING)
            invitations.save(pending, now)
            sent = int(invitations.links(invitation.id).get("sent", 0))
            invitations.set_links(
                invitation.id,
                {
                    **links.to_json(),
                    "sent": max(sent, 1),
                    "slots_digest": slots_digest(offer.slots),
                },
            )
            if invitation.notifications.send_mode == SendMode.EMAIL and sent == 0:
                key = f"invitation-email:{invitation.id}:1"
                Outbox(session).add("invitation_email", key, {"id": invitation.id, "n": 1}, now)
        return {"token": published.token}

    def _slots(self, invitation: Invitation) -> builtins.list[Slot]:
        query, _ = build_query(self._workspace, slot_request(invitation), self._clock.now())
        return find_slots(query)

    def slots_now(self, invitation: Invitation) -> builtins.list[Slot]:
        """The invitation's slots as the calendars have them now (blocking)."""
        return self._slots(invitation)

    def profile_for_offer(self) -> Profile:
        return self._profile()

    async def handle_invitation_email(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        invitation = self.get(payload["id"])
        if invitation.status != InvitationStatus.PENDING:
            return {"skipped": invitation.status.value}
        assert invitation.id is not None
        profile = self._profile()
        rendered = self._render_invitation(invitation, self.links(invitation.id), profile)
        msg_id = message_id(
            "invitation", f"{invitation.id}.{payload['n']}", profile.email, self._tag
        )
        message = compose(
            rendered,
            sender=profile,
            to=(invitation.participant.name, invitation.participant.email),
            msg_id=msg_id,
            sent_at=self._clock.now(),
        )
        await self._mail.transport().send(message)
        with self._workspace.session() as session:
            invitations = Invitations(session)
            data = invitations.links(invitation.id)
            invitations.set_links(
                invitation.id, {**data, "sent": max(data.get("sent", 0), payload["n"])}
            )
        return {"message_id": msg_id}

    async def handle_cancel_offer(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        async with self._relay.client() as relay:
            known = await relay.cancel(str(payload["id"]))
        return {"known": known}

    def _render_invitation(
        self, invitation: Invitation, links: InvitationLinks, profile: Profile
    ) -> Rendered:
        details = invitation.details
        example = links is _EXAMPLE
        shown_zone = _shown_zone(invitation, profile) if example else links.time_zone
        promoted = [
            {"label": slot_label(start, shown_zone), "url": url} for start, url in links.promoted
        ]
        if example and invitation.notifications.promoted_slots:
            promoted = [
                {"label": slot_label(start, shown_zone), "url": EXAMPLE_URL}
                for start in invitation.notifications.promoted_slots
            ]
        note = (
            "The booking page shows the times in your own time zone."
            if not links.promoted
            and invitation.notifications.advanced.time_zone_conversion.value == "customer"
            else ""
        )
        return render(
            "invitation",
            f"{profile.name} invites you to pick a time: {details.subject}",
            participant_name=invitation.participant.name,
            organizer_name=profile.name,
            subject=details.subject,
            duration=duration_text(details.duration),
            meeting_type=details.meeting_type.label.lower(),
            location=details.location,
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
