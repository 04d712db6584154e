"""Keeping published offers fresh: open invitations whose slots changed are republished.

After every free/busy refresh and every booking, each invitation waiting for
its customer is counted again; one whose slots differ from what the relay
has is queued for a republish through the outbox (one job per change, so a
retry never publishes twice), and the relay's page stops offering time that
has become busy.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from ..core.invitation import Invitation, InvitationStatus
from ..services.relay_client import OfferSlot
from ..store.activity import Invitations
from ..store.outbox import Outbox
from ..store.workspace import Workspace
from .clock import Clock
from .invitations import InvitationService
from .outbox_worker import OutboxWorker
from .publishing import ResourceKeys, build_offer, slots_digest
from .relay_host import RelayHost

log = logging.getLogger(__name__)

KIND = "republish"
DIGEST = "slots_digest"
"""Where the links record keeps the fingerprint of the published slots."""
COUNT = "republished"


class Republisher:
    def __init__(
        self,
        workspace: Workspace,
        clock: Clock,
        relay: RelayHost,
        keys: ResourceKeys,
        invitations: InvitationService,
    ) -> None:
        self._workspace = workspace
        self._clock = clock
        self._relay = relay
        self._keys = keys
        self._invitations = invitations
        self.worker: OutboxWorker | None = None

    async def republish_changed(self) -> list[int]:
        """Queue a republish of every open invitation whose slots changed; their ids."""
        changed = await asyncio.to_thread(self._queue_changed)
        if changed and self.worker is not None:
            self.worker.wakeup.set()
        return changed

    def _queue_changed(self) -> list[int]:
        with self._workspace.session() as session:
            waiting = [i for i in Invitations(session).list((InvitationStatus.PENDING,)) if i.token]
        changed = []
        for invitation in waiting:
            assert invitation.id is not None
            digest = slots_digest(self._offer_slots(invitation))
            now = self._clock.now()
            with self._workspace.session() as session:
                links = Invitations(session).links(invitation.id)
                if links.get(DIGEST) == digest:
                    continue
                count = int(links.get(COUNT, 0)) + 1
                key = f"{KIND}:{invitation.id}:{count}"
                Outbox(session).add(KIND, key, {"id": invitation.id, "n": count}, now)
            changed.append(invitation.id)
        return changed

    def _offer_slots(self, invitation: Invitation) -> tuple[OfferSlot, ...]:
        profile = self._invitations.profile_for_offer()
        slots = self._invitations.slots_now(invitation)
        assert invitation.expires_at is not None
        offer = build_offer(invitation, slots, profile, self._keys, invitation.expires_at)
        return offer.slots

    async def handle_republish(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        """The outbox job: publish the invitation's current slots (none, if none are left)."""
        invitation = self._invitations.get(payload["id"])
        if invitation.status != InvitationStatus.PENDING or invitation.token is None:
            return {"skipped": invitation.status.value}
        assert invitation.id is not None and invitation.expires_at is not None
        profile = self._invitations.profile_for_offer()
        slots = await asyncio.to_thread(self._invitations.slots_now, invitation)
        offer = build_offer(invitation, slots, profile, self._keys, invitation.expires_at)
        async with self._relay.client() as relay:
            await relay.publish(str(invitation.id), offer)
        digest = slots_digest(offer.slots)
        with self._workspace.session() as session:
            invitations = Invitations(session)
            links = invitations.links(invitation.id)
            count = max(int(links.get(COUNT, 0)), int(payload.get("n", 0)))
            invitations.set_links(invitation.id, {**links, DIGEST: digest, COUNT: count})
        return {"slots": len(offer.slots), "digest": digest}
