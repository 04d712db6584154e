"""What a customer link shows, loaded in one short read from the database."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from .availability import bookable, free_slots
from .errors import LinkGone, LinkNotFound
from .keys import looks_like_token
from .manage_links import manage_token, remember_all
from .offer import Offer, Slot
from .offer_store import OfferRecord
from .parts import RelayParts


@dataclass(frozen=True, slots=True)
class LinkView:
    """An offer as one customer sees it: open with free slots, or scheduled."""

    token: str
    record: OfferRecord
    free: list[Slot]
    zone_name: str
    zone_chosen: bool
    organizer_online: bool = True
    """The organizer's desktop takes bookings now; otherwise they wait for it on the relay."""
    checking: bool = False
    """The booking is a hold: the organizer's desktop is re-checking its calendars."""
    lang: str = ""
    """The language the link chose (``?lang=de``); "" when the browser's is spoken."""

    @property
    def offer(self) -> Offer:
        return self.record.offer

    @property
    def fresh_until(self) -> float:
        """When this view changes without any write: expiry, or a slot passing its notice."""
        if self.record.booking is not None:
            return float("inf")
        offer = self.offer
        return float(min([offer.expires_at, *(slot.start - offer.notice for slot in self.free)]))

    @property
    def tz_query(self) -> str:
        """``?tz=Asia/Tokyo&lang=de``: what the page's own links keep, the zone the
        customer chose and the language the link chose."""
        params = []
        if not self.offer.fixed_zone and self.zone_chosen:
            params.append("tz=" + quote(self.zone_name, safe="/"))
        if self.lang:
            params.append("lang=" + self.lang)
        return "?" + "&".join(params) if params else ""


def customer_zone(offer: Offer, requested: str | None) -> tuple[str, bool]:
    """The zone to show times in, and whether the customer chose it."""
    return offer.zone_for(requested)


def load_view(
    parts: RelayParts, token: str, requested_zone: str | None, lang: str = ""
) -> LinkView:
    """The link's view; LinkNotFound or LinkGone when there is nothing to book."""
    if not looks_like_token(token):
        raise LinkNotFound()
    with parts.engine.connect() as connection:
        record = parts.offers.find_open(connection, token)
        now = parts.clock()
        free: list[Slot] = []
        checking = record.booking is not None and parts.rechecks.is_held(
            connection, record.booking.id
        )
        if record.booking is None:
            if record.expired(now):
                raise LinkGone("expired")
            offer = record.offer
            upcoming = [slot for slot in offer.slots if bookable(offer, slot, now)]
            busy = (
                parts.offers.busy_times(
                    connection, upcoming, offer.buffer_before, offer.buffer_after
                )
                if upcoming
                else {}
            )
            free = free_slots(offer, busy, now)
    if record.booking is not None:
        # The meeting's manage link, shown on the booked page, is found by its digest.
        manage = manage_token(token, record.salt, record.booking.origin)
        remember_all(parts.engine, [(manage, record.booking.origin)], int(parts.clock()))
    zone_name, chosen = customer_zone(record.offer, requested_zone)
    online = record.booking is None or parts.organizers.online(record.organizer_id)
    return LinkView(token, record, free, zone_name, chosen, online, checking, lang=lang)
