"""Changing a booked meeting: moving it to another slot, or cancelling it.

A meeting's rows in ``bookings`` form a chain: its first booking (the origin
of its UID and manage link) and one row per change, each with ``origin_id``
pointing back. At most one row of a chain is live (not cancelled); the feed
hands every row to the organizer's desktop in order.

A move is one transaction: the live row's resource holds are released, the row
is marked cancelled, and the new row takes the new slot's holds under the same
primary keys that guard every booking. If another booking took any minute of
the new slot first, the insert fails, the whole transaction rolls back (the
old hold with it), and the move is refused on the state after that booking.
As a booking does, a move waits first for the others that share its offer or
a resource (``BEGIN IMMEDIATE`` on SQLite, advisory locks on PostgreSQL) and
then reads afresh, so buffers and the notice hold as firmly as meetings.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from .availability import Held, bookable, busy_keys, choose_keys, free_slots, minutes
from .booking_record import Booking
from .clock import Clock, system_clock
from .database import write_transaction
from .errors import LinkGone, LinkNotFound, RelayError, SlotTaken
from .keys import looks_like_token
from .manage_links import origin_of
from .offer import Offer, Slot
from .offer_store import OfferStore, bump_version
from .schema import booking_resources, bookings, offers, resource_holds

_ATTEMPTS = 40
_RETRYABLE = {"40P01", "40001"}


class MeetingCancelled(RelayError):
    """The meeting was cancelled (by the customer or the organizer)."""

    def __init__(self) -> None:
        super().__init__("This meeting was cancelled.")


class TooLate(RelayError):
    """The meeting starts within the offer's change lead time."""

    def __init__(self, deadline: int) -> None:
        self.deadline = deadline
        super().__init__("This meeting can no longer be changed here.")


class Changed(RelayError):
    """The meeting was changed meanwhile (another tab, or the organizer): here is how it is."""

    def __init__(self, booking: Booking) -> None:
        self.booking = booking
        super().__init__("This meeting was changed meanwhile.")


@dataclass(frozen=True, slots=True)
class ManagedMeeting:
    """A meeting found by its manage link: its offer and its rows."""

    origin: int
    offer_id: int
    organizer_id: int
    invitation_id: str
    salt: str
    offer: Offer
    offer_cancelled: bool
    live: Booking | None
    """The row that holds the meeting now; None once it is cancelled."""
    last: Booking
    """The latest row: the meeting as it is, or as it was when cancelled."""
    changes: int
    """How many times it was moved or cancelled (the iCalendar SEQUENCE of its latest state)."""

    @property
    def deadline(self) -> int:
        """Until when the customer may change it: the start less the lead time."""
        return self.last.start - self.offer.change_lead

    def changeable(self, now: float) -> bool:
        return self.live is not None and not self.offer_cancelled and now < self.deadline

    def expired(self, now: float) -> bool:
        return now >= self.offer.expires_at


def _lock_id(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _row_booking(row: object) -> Booking:
    return Booking(
        id=row.id,  # type: ignore[attr-defined]
        offer_id=row.offer_id,  # type: ignore[attr-defined]
        start=row.start_at,  # type: ignore[attr-defined]
        end=row.end_at,  # type: ignore[attr-defined]
        resource_keys=tuple(json.loads(row.resource_keys)),  # type: ignore[attr-defined]
        customer_time_zone=row.customer_time_zone,  # type: ignore[attr-defined]
        booked_at=row.booked_at,  # type: ignore[attr-defined]
        origin_id=row.origin_id,  # type: ignore[attr-defined]
    )


class ManageDesk:
    """Finds, moves and cancels meetings by their manage link (or, for the organizer, by id)."""

    def __init__(self, engine: Engine, offers: OfferStore, clock: Clock = system_clock) -> None:
        self._engine = engine
        self._offers = offers
        self._clock = clock
        self._locks = engine.dialect.name == "postgresql"

    # -- reading -----------------------------------------------------------

    def find(self, token: str) -> ManagedMeeting:
        """The meeting of a manage token; LinkNotFound for an unknown one."""
        if not looks_like_token(token):
            raise LinkNotFound()
        with self._engine.connect() as connection:
            origin = origin_of(connection, token)
            if origin is None:
                raise LinkNotFound()
            return self._load(connection, origin)

    def find_origin(self, origin: int) -> ManagedMeeting:
        with self._engine.connect() as connection:
            return self._load(connection, origin)

    def origin(self, organizer_id: int, booking_id: int) -> int | None:
        """The meeting of one of the organizer's booking rows, by its first row."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(bookings.c.id, bookings.c.origin_id).where(
                    bookings.c.id == booking_id, bookings.c.organizer_id == organizer_id
                )
            ).first()
        return None if row is None else int(row.origin_id or row.id)

    def free(self, meeting: ManagedMeeting) -> list[Slot]:
        """The slots the meeting could move to: free now, past the notice, not its own."""
        now = self._clock()
        offer, live = meeting.offer, meeting.live
        if live is None or meeting.offer_cancelled:
            return []
        upcoming = [s for s in offer.slots if bookable(offer, s, now) and s.start != live.start]
        if not upcoming:
            return []
        with self._engine.connect() as connection:
            busy = self._offers.busy_times(
                connection, upcoming, offer.buffer_before, offer.buffer_after
            )
        # The meeting's own hold does not stand in its way: a move releases it.
        busy = {k: [h for h in v if not _own(k, h, live)] for k, v in busy.items()}
        return [s for s in free_slots(offer, busy, now) if s.start != live.start]

    def _load(self, connection: Connection, origin: int, *, lock: bool = False) -> ManagedMeeting:
        """The meeting's rows and offer; *lock* holds the offer's row to the end of the
        transaction (PostgreSQL), so an organizer's cancel waits for a change or sees it."""
        rows = connection.execute(
            select(bookings)
            .where(or_(bookings.c.id == origin, bookings.c.origin_id == origin))
            .order_by(bookings.c.id)
        ).all()
        if not rows:
            raise LinkNotFound()
        query = select(
            offers.c.id,
            offers.c.organizer_id,
            offers.c.invitation_id,
            offers.c.salt,
            offers.c.cancelled,
            offers.c.content,
        ).where(offers.c.id == rows[0].offer_id)
        offer_row = connection.execute(query.with_for_update() if lock else query).one()
        if not offer_row.content:
            raise LinkGone("expired")
        live = next((r for r in rows if r.cancelled_at is None), None)
        return ManagedMeeting(
            origin=origin,
            offer_id=offer_row.id,
            organizer_id=offer_row.organizer_id,
            invitation_id=offer_row.invitation_id,
            salt=offer_row.salt,
            offer=Offer.from_json(offer_row.content),
            offer_cancelled=bool(offer_row.cancelled),
            live=None if live is None else _row_booking(live),
            last=_row_booking(live if live is not None else rows[-1]),
            changes=len(rows) - 1,
        )

    # -- changing ----------------------------------------------------------

    def move(self, origin: int, start: int, *, expected: int | None, by_customer: bool) -> Booking:
        """Moves the meeting to the slot starting at *start*: the new live row.

        *expected* is the row the customer's page showed; another one live
        means the meeting changed meanwhile (Changed). Raises MeetingCancelled,
        TooLate (the customer only), LinkGone or SlotTaken, each decided on the
        state after every earlier change committed.
        """
        return self._retrying(lambda c: self._move(c, origin, start, expected, by_customer))

    def cancel(self, origin: int, *, expected: int | None) -> Booking:
        """Cancels the meeting at the customer's request: the row that records it."""
        return self._retrying(lambda c: self._cancel(c, origin, expected))

    def _retrying(self, work: Callable[[Connection], Booking]) -> Booking:
        for attempt in range(_ATTEMPTS):
            try:
                with write_transaction(self._engine) as connection:
                    return work(connection)
            except IntegrityError:
                pass  # a concurrent booking took a minute first: the next try sees it
            except OperationalError as error:
                if getattr(error.orig, "sqlstate", None) not in _RETRYABLE:
                    raise
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        raise SlotTaken()

    def _locked(self, connection: Connection, origin: int, keys: set[str]) -> ManagedMeeting:
        meeting = self._load(connection, origin)
        if self._locks:
            names = [f"offer:{meeting.offer_id}", *(f"key:{k}" for k in keys)]
            for lock_id in sorted({_lock_id(name) for name in names}):
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})
            meeting = self._load(connection, origin, lock=True)
        return meeting

    def _standing(
        self, meeting: ManagedMeeting, expected: int | None, now: float, *, by_customer: bool
    ) -> Booking:
        live = meeting.live
        if live is None or meeting.offer_cancelled:
            raise MeetingCancelled()
        if expected is not None and live.id != expected:
            raise Changed(live)
        if live.start <= now or (by_customer and now >= meeting.deadline):
            raise TooLate(meeting.deadline)
        return live

    def _move(
        self,
        connection: Connection,
        origin: int,
        start: int,
        expected: int | None,
        by_customer: bool,
    ) -> Booking:
        now = self._clock()
        first = self._load(connection, origin)
        wanted = first.offer.slot_at(start)
        meeting = self._locked(connection, origin, set() if wanted is None else wanted.keys())
        live = self._standing(meeting, expected, now, by_customer=by_customer)
        offer = meeting.offer
        if by_customer and meeting.expired(now):
            raise LinkGone("expired")
        slot = offer.slot_at(start)
        if slot is None or slot.start == live.start or not bookable(offer, slot, now):
            raise SlotTaken()
        self._release(connection, live, int(now))
        before, after = offer.buffer_before, offer.buffer_after
        busy = self._offers.busy_times(connection, (slot,), before, after)
        chosen = choose_keys(slot, busy_keys(slot, busy, before, after))
        if chosen is None:
            raise SlotTaken()
        moved = Booking(
            id=0,
            offer_id=meeting.offer_id,
            start=slot.start,
            end=slot.end,
            resource_keys=chosen,
            customer_time_zone=live.customer_time_zone,
            booked_at=int(now),
            origin_id=origin,
        )
        row_id = self._insert(connection, meeting, moved, "moved", None)
        self._hold(connection, row_id, moved, offer)
        bump_version(connection)
        return Booking(
            row_id,
            moved.offer_id,
            moved.start,
            moved.end,
            moved.resource_keys,
            moved.customer_time_zone,
            moved.booked_at,
            origin,
        )

    def _cancel(self, connection: Connection, origin: int, expected: int | None) -> Booking:
        now = self._clock()
        meeting = self._locked(connection, origin, set())
        live = self._standing(meeting, expected, now, by_customer=True)
        self._release(connection, live, int(now))
        record = Booking(
            id=0,
            offer_id=meeting.offer_id,
            start=live.start,
            end=live.end,
            resource_keys=live.resource_keys,
            customer_time_zone=live.customer_time_zone,
            booked_at=int(now),
            origin_id=origin,
        )
        row_id = self._insert(connection, meeting, record, "cancelled", int(now))
        # A one-time invitation whose meeting the customer cancelled is over.
        connection.execute(
            update(offers)
            .where(offers.c.id == meeting.offer_id)
            .values(cancelled=True, updated_at=int(now))
        )
        bump_version(connection)
        return Booking(
            row_id,
            record.offer_id,
            record.start,
            record.end,
            record.resource_keys,
            record.customer_time_zone,
            record.booked_at,
            origin,
        )

    @staticmethod
    def _release(connection: Connection, live: Booking, now: int) -> None:
        connection.execute(delete(resource_holds).where(resource_holds.c.booking_id == live.id))
        connection.execute(
            delete(booking_resources).where(booking_resources.c.booking_id == live.id)
        )
        connection.execute(
            update(bookings).where(bookings.c.id == live.id).values(cancelled_at=now)
        )

    @staticmethod
    def _insert(
        connection: Connection,
        meeting: ManagedMeeting,
        booking: Booking,
        change: str,
        cancelled_at: int | None,
    ) -> int:
        row_id: int = connection.execute(
            insert(bookings)
            .values(
                offer_id=meeting.offer_id,
                organizer_id=meeting.organizer_id,
                start_at=booking.start,
                end_at=booking.end,
                resource_keys=json.dumps(list(booking.resource_keys)),
                customer_time_zone=booking.customer_time_zone,
                booked_at=booking.booked_at,
                acknowledged=False,
                cancelled_at=cancelled_at,
                origin_id=booking.origin_id,
                change=change,
            )
            .returning(bookings.c.id)
        ).scalar_one()
        return row_id

    @staticmethod
    def _hold(connection: Connection, row_id: int, booking: Booking, offer: Offer) -> None:
        if not booking.resource_keys:
            return
        connection.execute(
            insert(booking_resources),
            [
                {
                    "booking_id": row_id,
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
            insert(resource_holds),
            [
                {"resource_key": key, "minute": minute, "booking_id": row_id}
                for key in sorted(booking.resource_keys)
                for minute in minutes(booking.start, booking.end)
            ],
        )


def _own(key: str, held: Held, live: Booking) -> bool:
    """Whether a held span is the meeting's own: no other booking holds its keys then."""
    return key in live.resource_keys and held.start == live.start and held.end == live.end
