"""Booking a slot: one transaction that takes the slot's resources, or nothing.

The transaction inserts the booking (one live booking per offer, by a partial
unique index) and one ``resource_holds`` row per resource key and minute of the
meeting (by primary key). A concurrent booking whose meeting overlaps on any
resource collides on at least one of those rows and is refused by the database.

Before it reads anything it decides on, a booking waits for the others that
share its offer or a resource: on SQLite the transaction starts with ``BEGIN
IMMEDIATE`` (writers queue), on PostgreSQL it takes a transaction-scoped
advisory lock per offer and per required key, then reads afresh. So a booking
always decides on every booking committed before it: the loser of a race
learns that the invitation is already scheduled, or which times are left, and
buffers (which no primary key can guard) hold as firmly as meetings. Pool
members are only tried (``pg_try_advisory_xact_lock``), so concurrent bookings
of one pool spread over its members instead of queueing on the first.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable

from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy.exc import IntegrityError, OperationalError

from .availability import bookable, busy_keys, choose_keys, minutes
from .booking_record import Booking
from .clock import Clock, system_clock
from .database import write_transaction
from .errors import AlreadyScheduled, LinkGone, LinkNotFound, SlotTaken
from .offer import Slot
from .offer_store import OfferRecord, OfferStore, bump_version
from .schema import booking_resources, bookings, resource_holds

OnBooked = Callable[[Connection, Booking, OfferRecord], None]
"""More work in the booking's own transaction (the operator's receipt)."""

_ATTEMPTS = 40
# PostgreSQL: deadlock detected, serialization failure. Both are safe to retry.
_RETRYABLE = {"40P01", "40001"}


# Built once, so SQLAlchemy reuses their compiled forms (see offer_store).
_INSERT_BOOKING = insert(bookings).returning(bookings.c.id)
_INSERT_RESOURCES = insert(booking_resources)
_INSERT_HOLDS = insert(resource_holds)


_LOCK_ALL = text(
    "SELECT pg_advisory_xact_lock(id)"
    " FROM (SELECT unnest(CAST(:ids AS bigint[])) AS id ORDER BY 1) AS wanted"
)


AlsoWrite = Callable[[Connection, Booking, OfferRecord], None]
"""Writes more rows in the booking's own transaction, after its resources are taken."""


class _Contended(Exception):
    """Every free pool member is being booked by someone else right now: try again."""


def _lock_id(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class BookingDesk:
    """Books slots of offers found by their link token."""

    def __init__(
        self,
        engine: Engine,
        offers: OfferStore,
        clock: Clock = system_clock,
        on_booked: OnBooked | None = None,
    ) -> None:
        self._engine = engine
        self._offers = offers
        self._clock = clock
        self._on_booked = on_booked
        self._locks = engine.dialect.name == "postgresql"

    def book(
        self,
        token: str,
        *,
        slot_id: str | None = None,
        start: int | None = None,
        time_zone: str | None,
        also: AlsoWrite | None = None,
    ) -> tuple[Booking, OfferRecord]:
        """Books the slot named by *slot_id* (or starting at *start*).

        Raises AlreadyScheduled, LinkGone, LinkNotFound or SlotTaken, each
        decided on the state after every earlier booking committed. *also*
        runs inside the booking's transaction (a hold records its re-check).
        """
        for attempt in range(_ATTEMPTS):
            try:
                with write_transaction(self._engine) as connection:
                    booked = self._book(connection, token, slot_id, start, time_zone)
                    if also is not None:
                        also(connection, *booked)
                    return booked
            except (IntegrityError, _Contended):
                pass
            except OperationalError as error:
                if getattr(error.orig, "sqlstate", None) not in _RETRYABLE:
                    raise
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        self._settle(token)
        raise SlotTaken()

    def _settle(self, token: str) -> None:
        """Raises what the link's committed state says, after a lost race."""
        with self._engine.connect() as connection:
            record = self._offers.find(connection, token)
        if record is None:
            raise LinkNotFound()
        if record.cancelled:
            raise LinkGone("cancelled")
        if record.booking is not None:
            raise AlreadyScheduled(record.booking)

    def _record(self, connection: Connection, token: str) -> OfferRecord:
        record = self._offers.find_open(connection, token)
        if record.booking is not None:
            raise AlreadyScheduled(record.booking)
        return record

    def _lock(self, connection: Connection, names: list[str]) -> None:
        """Waits for every lock in one round trip, taken in ascending order (no deadlock)."""
        connection.execute(_LOCK_ALL, {"ids": sorted({_lock_id(name) for name in names})})

    def _try_lock(self, connection: Connection, key: str) -> bool:
        if not self._locks:
            return True
        return bool(
            connection.execute(
                text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": _lock_id("key:" + key)}
            ).scalar_one()
        )

    def _book(
        self,
        connection: Connection,
        token: str,
        slot_id: str | None,
        start: int | None,
        requested_zone: str | None,
    ) -> tuple[Booking, OfferRecord]:
        now = self._clock()
        record = self._record(connection, token)
        if self._locks:
            self._lock(
                connection,
                [
                    f"offer:{record.id}",
                    *(f"key:{k}" for k in sorted(_required(record, slot_id, start))),
                ],
            )
            record = self._record(connection, token)
        if record.expired(now):
            raise LinkGone("expired")
        offer = record.offer
        slot = offer.slot(slot_id) if slot_id is not None else None
        if slot is None and start is not None:
            slot = offer.slot_at(start)
        if slot is None or not bookable(offer, slot, now):
            raise SlotTaken()
        chosen = self._choose(connection, record, slot)
        time_zone, _chosen = offer.zone_for(requested_zone)
        booking = Booking(
            id=0,
            offer_id=record.id,
            start=slot.start,
            end=slot.end,
            resource_keys=chosen,
            customer_time_zone=time_zone,
            booked_at=int(now),
        )
        booking_id = self._insert(connection, record, booking)
        bump_version(connection)
        booked = Booking(booking_id, record.id, slot.start, slot.end, chosen, time_zone, int(now))
        if self._on_booked is not None:
            self._on_booked(connection, booked, record)
        return booked, record

    def _choose(self, connection: Connection, record: OfferRecord, slot: Slot) -> tuple[str, ...]:
        """The keys this booking takes: read after every lock it waited for."""
        offer = record.offer
        before, after = offer.buffer_before, offer.buffer_after
        busy = busy_keys(
            slot, self._offers.busy_times(connection, (slot,), before, after), before, after
        )
        chosen = choose_keys(slot, busy)
        if chosen is None:
            raise SlotTaken()
        if not slot.pools or not self._locks:
            return chosen
        # Try the free members one by one; one being booked by another request is skipped.
        elsewhere: set[str] = set()
        taken = set(slot.resources)
        for pool in slot.pools:
            member = None
            for key in pool:
                if key in busy or key in taken or key in elsewhere:
                    continue
                if self._try_lock(connection, key):
                    member = key
                    break
                elsewhere.add(key)
            if member is None:
                raise _Contended() if elsewhere else SlotTaken()
            taken.add(member)
        # The members are ours now; read them once more, as their last holder committed.
        busy = busy_keys(
            slot, self._offers.busy_times(connection, (slot,), before, after), before, after
        )
        unlocked = frozenset(slot.keys() - taken)
        final = choose_keys(slot, busy, skip=unlocked)
        if final is None:
            raise SlotTaken()
        if any(key in unlocked for key in final):
            # A member locked here was taken meanwhile: try again on fresh data.
            raise _Contended()
        return final

    @staticmethod
    def _insert(connection: Connection, record: OfferRecord, booking: Booking) -> int:
        offer = record.offer
        booking_id: int = connection.execute(
            _INSERT_BOOKING,
            {
                "offer_id": record.id,
                "organizer_id": record.organizer_id,
                "start_at": booking.start,
                "end_at": booking.end,
                "resource_keys": json.dumps(list(booking.resource_keys)),
                "customer_time_zone": booking.customer_time_zone,
                "booked_at": booking.booked_at,
                "acknowledged": False,
            },
        ).scalar_one()
        if booking.resource_keys:
            connection.execute(
                _INSERT_RESOURCES,
                [
                    {
                        "booking_id": booking_id,
                        "resource_key": key,
                        "start_at": booking.start,
                        "end_at": booking.end,
                        "held_start": booking.start - offer.buffer_before,
                        "held_end": booking.end + offer.buffer_after,
                    }
                    for key in booking.resource_keys
                ],
            )
            connection.execute(
                _INSERT_HOLDS,
                [
                    {"resource_key": key, "minute": minute, "booking_id": booking_id}
                    for key in sorted(booking.resource_keys)
                    for minute in minutes(booking.start, booking.end)
                ],
            )
        return booking_id


def _required(record: OfferRecord, slot_id: str | None, start: int | None) -> tuple[str, ...]:
    """The keys the wanted slot cannot go without (pool members are tried, not awaited)."""
    offer = record.offer
    slot = offer.slot(slot_id) if slot_id is not None else None
    if slot is None and start is not None:
        slot = offer.slot_at(start)
    return () if slot is None else slot.resources
