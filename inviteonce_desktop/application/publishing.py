"""Turning an invitation into the relay's offer, with opaque resource keys."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from ..core.availability import Slot
from ..core.branding import Branding
from ..core.invitation import Invitation, TimeZoneConversion
from ..core.profile import Profile
from ..core.relay_contract import receipt_address
from ..core.resources import member_key, pool_key, room_key
from ..core.tokens import new_token, opaque_key
from ..services.relay_client import OfferSlot, RelayOffer
from ..store.settings import Settings
from ..store.workspace import Workspace

_SALT = "resource_key_salt"


class ResourceKeys:
    """Opaque keys for members and rooms: stable, and meaningless to the relay."""

    def __init__(self, workspace: Workspace) -> None:
        with workspace.session() as session:
            settings = Settings(session)
            stored = settings.get(_SALT)
            if stored is None:
                stored = {"salt": new_token()}
                settings.put(_SALT, stored)
        self._salt = str(stored["salt"]).encode()

    def opaque(self, key: str) -> str:
        return opaque_key(self._salt, key)

    def reverse(self, keys: list[str]) -> dict[str, str]:
        return {self.opaque(k): k for k in keys}


def build_offer(
    invitation: Invitation,
    slots: list[Slot],
    profile: Profile,
    keys: ResourceKeys,
    expires_at: datetime,
    branding: Branding | None = None,
) -> RelayOffer:
    details = invitation.details
    required = [member_key(i) for i in details.team_member_ids]
    required += [room_key(i) for i in details.room_ids]
    opaque_required = tuple(keys.opaque(k) for k in required)
    offer_slots = tuple(
        OfferSlot(
            start=slot.start,
            end=slot.end,
            resources=opaque_required,
            pools=tuple(
                tuple(keys.opaque(k) for k in slot.pool_choices.get(pool_key(p), ()))
                for p in details.pool_ids
            ),
        )
        for slot in slots
    )
    available = {slot.start for slot in slots}
    advanced = invitation.notifications.advanced
    fixed = advanced.time_zone_conversion == TimeZoneConversion.FIXED
    return RelayOffer(
        subject=details.subject,
        duration_minutes=int(details.duration.total_seconds() // 60),
        organizer_name=profile.name,
        meeting_type=details.meeting_type,
        time_zone=invitation.time_frame.time_zone,
        expires_at=expires_at,
        slots=offer_slots,
        location=details.location,
        time_zone_conversion=advanced.time_zone_conversion,
        fixed_time_zone=(advanced.fixed_time_zone or profile.time_zone) if fixed else None,
        promoted=tuple(s for s in invitation.notifications.promoted_slots if s in available),
        minimum_notice=invitation.time_frame.minimum_notice,
        buffer_before=invitation.time_frame.buffer_before,
        buffer_after=invitation.time_frame.buffer_after,
        branding=None if branding is None or branding.empty else branding,
        customer_name=invitation.participant.name,
        customer_email=receipt_address(invitation.participant.email),
        change_lead=invitation.notifications.confirmation.change_lead or timedelta(0),
    )


def slots_digest(slots: Sequence[OfferSlot]) -> str:
    """A short fingerprint of an offer's slots and the resources each one needs."""
    text = json.dumps(
        [[s.start.isoformat(), s.end.isoformat(), list(s.resources), s.pools] for s in slots]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]
