"""Booking a slot: one transaction that takes the slot's resources, or nothing.

The transaction inserts the booking (one live booking per offer, by a partial
unique index) and one ``resource_holds`` row per resource key and minute (by
primary key). A concurrent booking that overlaps on any resource collides on
at least one of those rows and is refused by the database; it is then retried
on fresh data and answered "taken". On SQLite the transaction also starts with
``BEGIN IMMEDIATE``, so writers queue instead of racing.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.exc import IntegrityError, OperationalError

from .availability import busy_keys, choose_keys, minutes
from .booking_record import Booking
from .clock import Clock, system_clock
from .errors import AlreadyScheduled, LinkGone, LinkNotFound, SlotTaken
from .offer_store import OfferRecord, OfferStore
from .schema import booking_resources, bookings, resource_holds

_ATTEMPTS = 5
# PostgreSQL: deadlock detected, serialization failure. Both are safe to retry.
_RETRYABLE = {"40P01", "40001"}


class BookingDesk:
    """Books slots of offers found by their link token."""

    def __init__(self, engine: Engine, offers: OfferStore, clock: Clock = system_clock) -> None:
        self._engine = engine
        self._offers = offers
        self._clock = clock

    def book(
        self,
        token: str,
        *,
        slot_id: str | None = None,
        start: int | None = None,
        time_zone: str | None,
    ) -> tuple[Booking, OfferRecord]:
        """Books the slot named by *slot_id* (or starting at *start*)."""
        for _attempt in range(_ATTEMPTS):
            try:
                with self._engine.connect().execution_options(immediate=True) as connection:
                    with connection.begin():
                        return self._book(connection, token, slot_id, start, time_zone)
            except IntegrityError:
                continue
            except OperationalError as error:
                if getattr(error.orig, "sqlstate", None) not in _RETRYABLE:
                    raise
                continue
        raise SlotTaken()

    def _book(
        self,
        connection: Connection,
        token: str,
        slot_id: str | None,
        start: int | None,
        requested_zone: str | None,
    ) -> tuple[Booking, OfferRecord]:
        now = self._clock()
        record = self._offers.find(connection, token)
        if record is None:
            raise LinkNotFound()
        if record.cancelled:
            raise LinkGone("cancelled")
        if record.booking is not None:
            raise AlreadyScheduled(record.booking)
        if record.expired(now):
            raise LinkGone("expired")
        offer = record.offer
        slot = offer.slot(slot_id) if slot_id is not None else None
        if slot is None and start is not None:
            slot = offer.slot_at(start)
        if slot is None or slot.start <= now:
            raise SlotTaken()
        busy = self._offers.busy_times(connection, (slot,))
        chosen = choose_keys(slot, busy_keys(slot, busy))
        if chosen is None:
            raise SlotTaken()
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
        return (
            Booking(booking_id, record.id, slot.start, slot.end, chosen, time_zone, int(now)),
            record,
        )

    @staticmethod
    def _insert(connection: Connection, record: OfferRecord, booking: Booking) -> int:
        booking_id: int = connection.execute(
            insert(bookings)
            .values(
                offer_id=record.id,
                organizer_id=record.organizer_id,
                start_at=booking.start,
                end_at=booking.end,
                resource_keys=json.dumps(list(booking.resource_keys)),
                customer_time_zone=booking.customer_time_zone,
                booked_at=booking.booked_at,
                acknowledged=False,
            )
            .returning(bookings.c.id)
        ).scalar_one()
        if booking.resource_keys:
            connection.execute(
                insert(booking_resources),
                [
                    {
                        "booking_id": booking_id,
                        "resource_key": key,
                        "start_at": booking.start,
                        "end_at": booking.end,
                    }
                    for key in booking.resource_keys
                ],
            )
            connection.execute(
                insert(resource_holds),
                [
                    {"resource_key": key, "minute": minute, "booking_id": booking_id}
                    for key in sorted(booking.resource_keys)
                    for minute in minutes(booking.start, booking.end)
                ],
            )
        return booking_id
