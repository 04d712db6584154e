"""Keeping published offers fresh: open invitations whose slots changed are republished.

After every free/busy refresh and every booking, each invitation waiting for
its customer is counted again; those whose slots differ from what the relay
has are queued for a republish through the outbox (one job for the change),
and the relay's page stops offering time that has become busy.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from ..core.invitation import Invitation, InvitationStatus
from ..services.relay_client import RelayClient, RelayOffer
from ..store.activity import Invitations
from ..store.workspace import Workspace
from .clock import Clock
from .invitations import InvitationService
from .jobs import JobResult, Republish, enqueue
from .publishing import ResourceKeys, build_offer, slots_digest
from .relay_host import RelayHost

log = logging.getLogger(__name__)

DIGEST = "slots_digest"
"""Where the links record keeps the fingerprint of the published slots."""
COUNT = "republished"
PUBLISH_CONCURRENCY = 8
PREPARED_SECONDS = 5.0


class Republisher:
    def __init__(
        self,
        workspace: Workspace,
        clock: Clock,
        relay: RelayHost,
        keys: ResourceKeys,
        invitations: InvitationService,
        wake_outbox: Callable[[], None],
    ) -> None:
        self._workspace = workspace
        self._clock = clock
        self._relay = relay
        self._keys = keys
        self._invitations = invitations
        self._wake_outbox = wake_outbox
        self._prepared: dict[int, tuple[RelayOffer, float]] = {}
        """Offers counted when the change was found, used if published right after."""

    def forget(self, invitation_id: int) -> None:
        """Drop an offer counted before the invitation was edited: it is not what to publish."""
        self._prepared.pop(invitation_id, None)

    async def republish_changed(self) -> list[int]:
        """Queue a republish of every open invitation whose slots changed; their ids."""
        changed = await asyncio.to_thread(self._queue_changed)
        if changed:
            self._wake_outbox()
        return changed

    def _queue_changed(self) -> list[int]:
        """One outbox job for every invitation whose slots changed since last published."""
        with self._workspace.session() as session:
            waiting = [i for i in Invitations(session).list((InvitationStatus.PENDING,)) if i.token]
        changed: list[tuple[int, int]] = []
        for invitation in waiting:
            assert invitation.id is not None
            offer = self._offer(invitation)
            with self._workspace.session() as session:
                links = Invitations(session).links(invitation.id)
            if links.get(DIGEST) == slots_digest(offer.slots):
                continue
            self._prepared[invitation.id] = (offer, time.monotonic())
            changed.append((invitation.id, int(links.get(COUNT, 0)) + 1))
        if changed:
            with self._workspace.session() as session:
                enqueue(session, Republish(tuple(changed)), self._clock.now())
        return [i for i, _ in changed]

    def _offer(self, invitation: Invitation) -> RelayOffer:
        profile = self._invitations.profile_for_offer()
        slots = self._invitations.slots_now(invitation)
        assert invitation.expires_at is not None
        return build_offer(invitation, slots, profile, self._keys, invitation.expires_at)

    async def handle_republish(self, job: Republish) -> JobResult:
        """The outbox job: publish each invitation's current slots (none, if none are left),
        a few at a time over one connection. Publishing replaces an offer, so a retry of
        the whole job publishes nothing twice over."""
        limit = asyncio.Semaphore(PUBLISH_CONCURRENCY)
        async with self._relay.client() as relay:

            async def one(invitation_id: int, count: int) -> int | None:
                async with limit:
                    return await self._republish_one(relay, invitation_id, count)

            published = await asyncio.gather(*(one(i, n) for i, n in job.offers))
        return {"published": [i for i in published if i is not None]}

    async def _republish_one(
        self, relay: RelayClient, invitation_id: int, count: int
    ) -> int | None:
        invitation = self._invitations.get(invitation_id)
        if invitation.status != InvitationStatus.PENDING or invitation.token is None:
            return None
        prepared = self._prepared.pop(invitation_id, None)
        if prepared is not None and time.monotonic() - prepared[1] < PREPARED_SECONDS:
            offer = prepared[0]
        else:
            offer = await asyncio.to_thread(self._offer, invitation)
        await relay.publish(str(invitation_id), offer)
        with self._workspace.session() as session:
            invitations = Invitations(session)
            links = invitations.links(invitation_id)
            count = max(int(links.get(COUNT, 0)), count)
            record = {**links, DIGEST: slots_digest(offer.slots), COUNT: count}
            invitations.set_links(invitation_id, record)
        return invitation_id
