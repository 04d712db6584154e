"""Editing an open invitation: the new offer goes out on the same links.

An invitation that waits for its customer (or is still on its way to the
relay) can be changed as the wizard filled it: subject, duration, team
members, time frame, promoted slots and the rest. The change is saved, with a
line in the invitation's history; the outbox then publishes the new offer
under the same invitation, which keeps its link and token, so a customer who
has the page open sees the new times when it loads again. A promoted link
whose slot is no longer offered answers as a taken slot does, so no time that
is not offered can be booked. A booked, cancelled or expired invitation is
not edited.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..core.errors import ValidationError
from ..core.history import HistoryKind
from ..core.invitation import Invitation, InvitationStatus
from ..store.activity import Invitations
from ..store.history import History
from ..store.outbox import Outbox
from ..store.settings import Settings
from ..store.workspace import Workspace
from .clock import Clock
from .invitations import InvitationService
from .jobs import EditedOffer, Publish, enqueue
from .links import InvitationLinks
from .publishing import ResourceKeys, build_offer, slots_digest
from .relay_host import RelayHost

DIGEST = "slots_digest"
EDITABLE = (InvitationStatus.PENDING, InvitationStatus.DRAFT)


def refuse_unless_open(invitation: Invitation) -> None:
    """One sentence when *invitation* can no longer be edited."""
    if invitation.status in EDITABLE:
        return
    why = {
        InvitationStatus.SCHEDULED: "it is booked; move or cancel the meeting instead",
        InvitationStatus.CANCELLED: "it was cancelled",
        InvitationStatus.EXPIRED: "it has expired",
    }[invitation.status]
    raise ValidationError(f"Invitation {invitation.id} cannot be edited: {why}.")


def changed_parts(before: Invitation, after: Invitation) -> list[str]:
    """What an edit changed, in the wizard's words."""
    old, new = before.details, after.details
    names = {
        "subject": "subject",
        "duration": "duration",
        "team_member_ids": "team members",
        "description": "description",
        "conferencing": "conferencing",
        "meeting_type": "meeting type",
        "location": "location",
        "room_ids": "rooms",
        "pool_ids": "resource pools",
    }
    parts = [text for name, text in names.items() if getattr(old, name) != getattr(new, name)]
    if before.time_frame != after.time_frame:
        parts.append("time frame")
    notes, edited = before.notifications, after.notifications
    if notes.promoted_slots != edited.promoted_slots:
        parts.append("promoted slots")
    if notes.reminders != edited.reminders:
        parts.append("reminders")
    rest = replace(edited, promoted_slots=notes.promoted_slots, reminders=notes.reminders)
    if rest != notes:
        parts.append("notifications")
    return parts


class InvitationEditor:
    def __init__(
        self,
        workspace: Workspace,
        clock: Clock,
        relay: RelayHost,
        keys: ResourceKeys,
        invitations: InvitationService,
        forget_prepared: Callable[[int], None],
    ) -> None:
        self._workspace = workspace
        self._clock = clock
        self._relay = relay
        self._keys = keys
        self._invitations = invitations
        self._forget_prepared = forget_prepared

    async def edit(self, invitation_id: int, edited: Invitation) -> Invitation:
        """Save *edited* over the open invitation and queue its offer; the saved invitation."""
        current = self._invitations.get(invitation_id)
        refuse_unless_open(current)
        if edited.participant.email.lower() != current.participant.email.lower():
            raise ValidationError(
                "An invitation's customer cannot change; cancel it and invite the new customer."
            )
        if edited.notifications.reminders is None:
            notes = replace(edited.notifications, reminders=current.notifications.reminders)
            edited = replace(edited, notifications=notes)
        await asyncio.to_thread(self._invitations.require_slots, edited)
        changes = changed_parts(current, edited)
        if not changes and edited.participant == current.participant:
            return current
        return self._save(invitation_id, edited, changes)

    def _save(self, invitation_id: int, edited: Invitation, changes: list[str]) -> Invitation:
        now = self._clock.now()
        with self._workspace.session() as session:
            invitations, history = Invitations(session), History(session)
            fresh = invitations.get(invitation_id)
            refuse_unless_open(fresh)  # booked while the slots were counted
            saved = invitations.save(
                replace(
                    fresh,
                    participant=edited.participant,
                    details=edited.details,
                    time_frame=edited.time_frame,
                    notifications=edited.notifications,
                    expires_at=edited.time_frame.ends_at(now),
                ),
                now,
            )
            edits = sum(1 for e in history.of(invitation_id) if e.kind == HistoryKind.EDITED)
            text = f"Edited: {', '.join(changes)}." if changes else "Edited: the customer's name."
            history.add(invitation_id, now, HistoryKind.EDITED, text)
            if fresh.status == InvitationStatus.PENDING and fresh.token is not None:
                enqueue(session, EditedOffer(invitation_id, edits + 1), now)
            else:  # not on the relay yet: its first publish takes the edit (and is tried again)
                item = enqueue(session, Publish(invitation_id), now, reopen=True)
                Outbox(session).make_due(item.idempotency_key, now)
        self._forget_prepared(invitation_id)
        return saved

    async def handle_edited_offer(self, job: EditedOffer) -> dict[str, Any] | None:
        """Publish the invitation's current offer over the old one; its link stays."""
        invitation = self._invitations.get(job.id)
        if invitation.status != InvitationStatus.PENDING or invitation.token is None:
            return {"skipped": invitation.status.value}
        profile = self._invitations.profile_for_offer()
        slots = await asyncio.to_thread(self._invitations.slots_now, invitation)
        with self._workspace.session() as session:
            branding = Settings(session).branding()
        assert invitation.expires_at is not None
        offer = build_offer(invitation, slots, profile, self._keys, invitation.expires_at, branding)
        async with self._relay.client() as relay:
            published = await relay.publish(str(job.id), offer)
        shown_zone = offer.fixed_time_zone or invitation.time_frame.time_zone
        links = InvitationLinks(published.url, sorted(published.promoted_urls.items()), shown_zone)
        now = self._clock.now()
        with self._workspace.session() as session:
            invitations = Invitations(session)
            record = {**invitations.links(job.id), **links.to_json()}
            invitations.set_links(job.id, {**record, DIGEST: slots_digest(offer.slots)})
            History(session).add_once(
                job.id,
                now,
                HistoryKind.PUBLISHED,
                f"Published again after edit {job.n}, on the same link: {len(offer.slots)} "
                "time slots.",
            )
        return {"token": published.token, "slots": len(offer.slots)}
