"""Publishing, replacing, cancelling and finding offers."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from threading import Lock

from sqlalchemy import Connection, Engine, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion

from .availability import BusyTimes, Held, offer_keys
from .booking_record import Booking
from .clock import Clock, system_clock
from .database import write_transaction
from .errors import LinkGone, LinkNotFound
from .keys import digest, link_token, new_salt
from .offer import Offer, Slot
from .schema import booking_resources, bookings, offer_links, offers, relay_version, resource_holds


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """An offer found by its link, with its live booking if it has one."""

    id: int
    organizer_id: int
    invitation_id: str
    cancelled: bool
    offer: Offer
    booking: Booking | None
    purged: bool = False
    """Its content was removed after the retention time; the link only says it is gone."""
    salt: str = ""
    """The offer's random salt; it makes its bookings' UIDs unique in the world."""

    def expired(self, now: float) -> bool:
        return self.purged or now >= self.offer.expires_at


_PURGED = Offer(
    subject="",
    duration_minutes=1,
    organizer_name="",
    meeting_type=MeetingType.VIDEO,
    location="",
    time_zone="UTC",
    time_zone_conversion=TimeZoneConversion.CUSTOMER,
    fixed_time_zone=None,
    expires_at=0,
    slots=(),
)
"""What a purged offer reads as: nothing, expired long ago."""


@dataclass(frozen=True, slots=True)
class Published:
    token: str
    created: bool


def _booking(row: object) -> Booking:
    return Booking(
        id=row.booking_id,  # type: ignore[attr-defined]
        offer_id=row.id,  # type: ignore[attr-defined]
        start=row.start_at,  # type: ignore[attr-defined]
        end=row.end_at,  # type: ignore[attr-defined]
        resource_keys=tuple(json.loads(row.resource_keys)),  # type: ignore[attr-defined]
        customer_time_zone=row.customer_time_zone,  # type: ignore[attr-defined]
        booked_at=row.booked_at,  # type: ignore[attr-defined]
        origin_id=row.origin_id,  # type: ignore[attr-defined]
    )


_LOOKUP = (
    select(
        offers.c.id,
        offers.c.organizer_id,
        offers.c.invitation_id,
        offers.c.cancelled,
        offers.c.salt,
        offers.c.body_hash,
        offers.c.content,
        offers.c.expires_at,
        bookings.c.id.label("booking_id"),
        bookings.c.start_at,
        bookings.c.end_at,
        bookings.c.resource_keys,
        bookings.c.customer_time_zone,
        bookings.c.booked_at,
        bookings.c.origin_id,
    )
    .select_from(offer_links)
    .join(offers, offers.c.id == offer_links.c.offer_id)
    .outerjoin(
        bookings, and_(bookings.c.offer_id == offers.c.id, bookings.c.cancelled_at.is_(None))
    )
    .where(offer_links.c.token_hash == bindparam("token_hash"))
)
# Statements on the booking path are built once: SQLAlchemy then reuses their
# cache keys and compiled forms, and a booking spends its time in the database.
_BUSY = select(
    booking_resources.c.resource_key,
    booking_resources.c.start_at,
    booking_resources.c.end_at,
    booking_resources.c.held_start,
    booking_resources.c.held_end,
).where(
    booking_resources.c.resource_key.in_(bindparam("keys", expanding=True)),
    booking_resources.c.held_start < bindparam("hi"),
    booking_resources.c.held_end > bindparam("lo"),
)
_BUMP = (
    update(relay_version).where(relay_version.c.id == 1).values(version=relay_version.c.version + 1)
)


class OfferStore:
    """Offers in the database, with a small cache of parsed offer contents."""

    def __init__(self, engine: Engine, clock: Clock = system_clock, cache_size: int = 512) -> None:
        self._engine = engine
        self._clock = clock
        self._cache: OrderedDict[str, Offer] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()

    def _parsed(self, body_hash: str, content: str) -> Offer:
        with self._lock:
            found = self._cache.get(body_hash)
            if found is not None:
                self._cache.move_to_end(body_hash)
                return found
        offer = Offer.from_json(content)
        with self._lock:
            self._cache[body_hash] = offer
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return offer

    def find_open(self, connection: Connection, token: str) -> OfferRecord:
        """The link's offer; LinkNotFound, or LinkGone when it was cancelled or purged."""
        record = self.find(connection, token)
        if record is None:
            raise LinkNotFound()
        if record.cancelled:
            raise LinkGone("cancelled")
        if record.purged:
            raise LinkGone("expired")
        return record

    def find(self, connection: Connection, token: str) -> OfferRecord | None:
        row = connection.execute(_LOOKUP, {"token_hash": digest(token)}).first()
        if row is None:
            return None
        return OfferRecord(
            id=row.id,
            organizer_id=row.organizer_id,
            invitation_id=row.invitation_id,
            cancelled=bool(row.cancelled),
            offer=self._parsed(row.body_hash, row.content) if row.content else _PURGED,
            purged=not row.content,
            booking=None if row.booking_id is None else _booking(row),
            salt=row.salt,
        )

    def busy_times(
        self, connection: Connection, slots: Sequence[Slot], before: int = 0, after: int = 0
    ) -> BusyTimes:
        """What bookings hold on the keys that *slots* (with buffers *before*/*after*) may take."""
        keys = offer_keys(slots)
        if not keys:
            return {}
        lo = min(slot.start for slot in slots) - before
        hi = max(slot.end for slot in slots) + after
        rows = connection.execute(_BUSY, {"keys": sorted(keys), "lo": lo, "hi": hi}).all()
        busy: dict[str, list[Held]] = {}
        for key, start, end, held_start, held_end in rows:
            busy.setdefault(key, []).append(Held(start, end, held_start, held_end))
        return busy

    def publish(self, organizer_id: int, key: str, invitation_id: str, offer: Offer) -> Published:
        """Creates or replaces the offer; replacing keeps its link."""
        for _attempt in range(3):
            try:
                with write_transaction(self._engine) as connection:
                    return self._publish(connection, organizer_id, key, invitation_id, offer)
            except IntegrityError:
                continue
        raise RuntimeError("The offer could not be stored.")

    def _publish(
        self, connection: Connection, organizer_id: int, key: str, invitation_id: str, offer: Offer
    ) -> Published:
        now = int(self._clock())
        content = offer.to_json()
        values = {
            "cancelled": False,
            "expires_at": offer.expires_at,
            "body_hash": digest(content),
            "content": content,
            "updated_at": now,
        }
        existing = connection.execute(
            select(offers.c.id, offers.c.salt).where(
                offers.c.organizer_id == organizer_id, offers.c.invitation_id == invitation_id
            )
        ).first()
        if existing is None:
            salt = new_salt()
            offer_id = connection.execute(
                insert(offers)
                .values(organizer_id=organizer_id, invitation_id=invitation_id, salt=salt, **values)
                .returning(offers.c.id)
            ).scalar_one()
            created = True
        else:
            offer_id, salt = existing.id, existing.salt
            connection.execute(update(offers).where(offers.c.id == offer_id).values(**values))
            created = False
        token = link_token(key, salt, invitation_id)
        token_hash = digest(token)
        known = connection.execute(
            select(offer_links.c.offer_id).where(offer_links.c.token_hash == token_hash)
        ).first()
        if known is None:
            # New offer, or the organizer's key was rotated: the old link keeps working.
            connection.execute(
                insert(offer_links).values(token_hash=token_hash, offer_id=offer_id, created_at=now)
            )
        bump_version(connection)
        return Published(token=token, created=created)

    def cancel(self, organizer_id: int, invitation_id: str) -> bool:
        """Cancels the offer and releases its booking's resources."""
        now = int(self._clock())
        with write_transaction(self._engine) as connection:
            offer_id = connection.execute(
                select(offers.c.id).where(
                    offers.c.organizer_id == organizer_id,
                    offers.c.invitation_id == invitation_id,
                )
            ).scalar_one_or_none()
            if offer_id is None:
                return False
            connection.execute(
                update(offers).where(offers.c.id == offer_id).values(cancelled=True, updated_at=now)
            )
            live = select(bookings.c.id).where(
                bookings.c.offer_id == offer_id, bookings.c.cancelled_at.is_(None)
            )
            connection.execute(delete(resource_holds).where(resource_holds.c.booking_id.in_(live)))
            connection.execute(
                delete(booking_resources).where(booking_resources.c.booking_id.in_(live))
            )
            connection.execute(
                update(bookings)
                .where(bookings.c.offer_id == offer_id, bookings.c.cancelled_at.is_(None))
                .values(cancelled_at=now)
            )
            bump_version(connection)
        return True

    def purge(self, retention_seconds: int) -> int:
        """Removes the content of offers cancelled or expired longer ago than the retention.

        Only the fact that the link existed stays (so it answers "gone", not
        "unknown"); bookings keep their times for the organizer's feed. An offer
        whose meeting has not yet ended keeps its content.
        """
        cutoff = int(self._clock()) - retention_seconds
        ongoing = (
            select(bookings.c.id)
            .where(
                bookings.c.offer_id == offers.c.id,
                bookings.c.cancelled_at.is_(None),
                bookings.c.end_at >= cutoff,
            )
            .exists()
        )
        finished = or_(
            and_(offers.c.cancelled.is_(True), offers.c.updated_at < cutoff),
            offers.c.expires_at < cutoff,
        )
        with write_transaction(self._engine) as connection:
            result = connection.execute(
                update(offers)
                .where(offers.c.content != "", finished, ~ongoing)
                .values(content="", body_hash="")
            )
            if result.rowcount:
                bump_version(connection)
        return int(result.rowcount)


def bump_version(connection: Connection) -> None:
    """Marks a change that every worker's page cache must see (inside the writing transaction)."""
    connection.execute(_BUMP)
