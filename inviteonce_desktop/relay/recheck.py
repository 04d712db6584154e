"""Two-phase booking: a customer's pick is held while the organizer's desktop re-checks.

The relay cannot read calendars. When the organizer's desktop is connected (it
long-polls the bookings feed), a pick is booked as a *hold*: the very booking
transaction of :class:`~.booking.BookingDesk`, so the hold takes the slot's
resources under the same database guard, plus one ``booking_rechecks`` row
with a deadline. The feed hands the desktop the hold as a re-check ask and
keeps the booking out of the bookings list until there is a verdict:

- the desktop reads the calendars live and answers ``free`` (or ``unknown``,
  a calendar could not be read): the booking stands;
- it answers ``busy``: the hold is released (the booking and its resources go)
  and the slot leaves the offer;
- no answer by the deadline: the relay confirms on its own data, and a late
  answer is refused (the desktop then flags the conflict on the meeting).

Whoever looks after the deadline (the customer's waiting page, the feed)
settles the hold as ``timeout``; every verdict is one conditional update, so
exactly one of them wins.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import msgspec
from sqlalchemy import Connection, Engine, bindparam, delete, insert, literal, select, update
from starlette.concurrency import run_in_threadpool

from .booking import AlsoWrite, BookingDesk
from .booking_record import Booking
from .clock import Clock, system_clock
from .database import write_transaction
from .feed import BookingSignal, still_checking
from .keys import digest
from .offer import Offer
from .offer_store import OfferRecord, bump_version
from .organizers import ONLINE_SECONDS
from .schema import (
    booking_rechecks,
    booking_resources,
    bookings,
    offer_links,
    offers,
    organizers,
    resource_holds,
)

Status = Literal["checking", "confirmed", "conflict", "none"]
Verdict = Literal["free", "busy", "unknown"]

_SEEN = select(organizers.c.seen_at).where(organizers.c.id == bindparam("organizer_id"))
"""Built once: every booking reads it (see booking.py)."""

LOOK_SECONDS = 0.1
"""How often a waiting customer's request looks for a verdict given to another worker."""


class RecheckNotFound(LookupError):
    """No re-check with this id for this organizer."""


class TooLate(Exception):
    """The re-check already has its verdict (the deadline passed: the booking stands)."""

    def __init__(self, verdict: str) -> None:
        self.verdict = verdict
        super().__init__(
            "The time was already confirmed without a re-check; the booking stands."
            if verdict in ("timeout", "confirmed")
            else "The held time was already released."
        )


@dataclass(frozen=True, slots=True)
class Ask:
    """A held pick, as the organizer's desktop is asked to re-check it."""

    id: int
    invitation_id: str
    start: int
    end: int
    resource_keys: tuple[str, ...]
    deadline_ms: int


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the latest pick on a link stands, and until when it may wait."""

    status: Status
    deadline_ms: int = 0
    start: int = 0
    end: int = 0


def _status(verdict: str | None) -> Status:
    if verdict is None:
        return "checking"
    return "conflict" if verdict == "conflict" else "confirmed"


class Rechecks:
    """Holds picks, asks the desktop, takes its verdict, settles on time."""

    def __init__(
        self,
        engine: Engine,
        desk: BookingDesk,
        signal: BookingSignal,
        timeout_seconds: float,
        clock: Clock = system_clock,
    ) -> None:
        self._engine = engine
        self._desk = desk
        self._signal = signal
        self._timeout = timeout_seconds
        self._clock = clock

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    # The customer's side

    def book(
        self,
        token: str,
        *,
        slot_id: str | None = None,
        start: int | None = None,
        time_zone: str | None,
    ) -> tuple[Booking, bool]:
        """Books the slot, as a hold when the organizer's desktop is connected to re-check
        it (True), else at once on the relay's own data (False).

        Raises what :meth:`BookingDesk.book` raises, decided the same way.
        """
        if self._timeout <= 0:
            booking, _record = self._desk.book(
                token, slot_id=slot_id, start=start, time_zone=time_zone
            )
            return booking, False
        held: list[bool] = []
        booking, _record = self._desk.book(
            token, slot_id=slot_id, start=start, time_zone=time_zone, also=self._hold(held)
        )
        return booking, bool(held)

    def _hold(self, held: list[bool]) -> AlsoWrite:
        """In the booking's transaction: when the organizer's desktop is connected, records
        the re-check that makes the booking a hold (and says so in *held*)."""
        now = self._clock()
        deadline = int(now * 1000) + int(self._timeout * 1000)

        def hold_if_connected(
            connection: Connection, booking: Booking, record: OfferRecord
        ) -> None:
            held.clear()  # A retried transaction decides afresh.
            seen = connection.execute(
                _SEEN, {"organizer_id": record.organizer_id}
            ).scalar_one_or_none()
            if seen is None or seen < now - ONLINE_SECONDS:
                return
            connection.execute(
                insert(booking_rechecks).values(
                    offer_id=record.id,
                    organizer_id=record.organizer_id,
                    booking_id=booking.id,
                    start_at=booking.start,
                    end_at=booking.end,
                    deadline_ms=deadline,
                )
            )
            held.append(True)

        return hold_if_connected

    def is_held(self, connection: Connection, booking_id: int) -> bool:
        """Whether the booking is a hold still waiting for its verdict."""
        return bool(connection.execute(select(still_checking(literal(booking_id)))).scalar())

    def standing(self, token: str) -> Standing:
        """Where the link's latest pick stands; a hold past its deadline is confirmed now."""
        offer_id = select(offer_links.c.offer_id).where(offer_links.c.token_hash == digest(token))
        with self._engine.connect() as connection:
            row = connection.execute(
                select(
                    booking_rechecks.c.id,
                    booking_rechecks.c.verdict,
                    booking_rechecks.c.deadline_ms,
                    booking_rechecks.c.start_at,
                    booking_rechecks.c.end_at,
                )
                .where(booking_rechecks.c.offer_id.in_(offer_id.scalar_subquery()))
                .order_by(booking_rechecks.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return Standing("none")
        verdict = row.verdict
        if verdict is None and row.deadline_ms <= self._now_ms():
            verdict = self._settle([row.id]).get(row.id, "timeout")
        return Standing(_status(verdict), row.deadline_ms, row.start_at, row.end_at)

    async def wait(self, token: str, seconds: float) -> Standing:
        """The link's standing once it is decided, or after *seconds* (bounded by the
        hold's deadline: then the relay has decided)."""
        end = time.monotonic() + seconds
        while True:
            found = await run_in_threadpool(self.standing, token)
            left = end - time.monotonic()
            if found.status != "checking" or left <= 0:
                return found
            until_deadline = found.deadline_ms / 1000 - self._clock() + 0.01
            await self._signal.wait(max(0.0, min(left, LOOK_SECONDS, until_deadline)))

    # The organizer's side

    def asks(self, organizer_id: int) -> list[Ask]:
        """Holds waiting for this organizer's verdict; those past their deadline are
        confirmed on the way (they join the bookings feed)."""
        query = (
            select(
                booking_rechecks.c.id,
                offers.c.invitation_id,
                booking_rechecks.c.start_at,
                booking_rechecks.c.end_at,
                booking_rechecks.c.deadline_ms,
                bookings.c.resource_keys,
            )
            .join(offers, offers.c.id == booking_rechecks.c.offer_id)
            .join(bookings, bookings.c.id == booking_rechecks.c.booking_id)
            .where(
                booking_rechecks.c.organizer_id == organizer_id,
                booking_rechecks.c.verdict.is_(None),
            )
            .order_by(booking_rechecks.c.id)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        now = self._now_ms()
        expired = [row.id for row in rows if row.deadline_ms <= now]
        if expired:
            self._settle(expired)
        return [
            Ask(
                id=row.id,
                invitation_id=row.invitation_id,
                start=row.start_at,
                end=row.end_at,
                resource_keys=tuple(msgspec.json.decode(row.resource_keys, type=list[str])),
                deadline_ms=row.deadline_ms,
            )
            for row in rows
            if row.deadline_ms > now
        ]

    def answer(self, organizer_id: int, recheck_id: int, verdict: Verdict) -> str:
        """Takes the desktop's verdict: "confirmed" or "released".

        Raises RecheckNotFound, or TooLate when the deadline passed first.
        """
        now = self._now_ms()
        outcome = "released" if verdict == "busy" else "confirmed"
        with write_transaction(self._engine) as connection:
            late = self._decide(connection, organizer_id, recheck_id, verdict, now)
        if late is not None:
            raise TooLate(late)
        return outcome

    def _decide(
        self, connection: Connection, organizer_id: int, recheck_id: int, verdict: Verdict, now: int
    ) -> str | None:
        """Writes the verdict; None, or the verdict that was there first."""
        row = connection.execute(
            select(booking_rechecks).where(
                booking_rechecks.c.id == recheck_id,
                booking_rechecks.c.organizer_id == organizer_id,
            )
        ).first()
        if row is None:
            raise RecheckNotFound()
        decided = "conflict" if verdict == "busy" else "confirmed"
        if row.verdict is None and row.deadline_ms <= now and verdict == "busy":
            decided = "timeout"  # Too late to release: the relay has confirmed it.
        taken = connection.execute(
            update(booking_rechecks)
            .where(booking_rechecks.c.id == recheck_id, booking_rechecks.c.verdict.is_(None))
            .values(verdict=decided, answered_at=now // 1000)
        ).rowcount
        if not taken:
            current = connection.execute(
                select(booking_rechecks.c.verdict).where(booking_rechecks.c.id == recheck_id)
            ).scalar_one()
            stands = decided == "confirmed" and current == "timeout"
            return None if current == decided or stands else str(current)
        if decided == "conflict":
            self._release(connection, row.booking_id, row.offer_id, row.start_at)
            connection.execute(
                update(booking_rechecks)
                .where(booking_rechecks.c.id == recheck_id)
                .values(booking_id=None)
            )
        bump_version(connection)
        return "timeout" if decided == "timeout" else None

    @staticmethod
    def _release(connection: Connection, booking_id: int | None, offer_id: int, start: int) -> None:
        """Gives the held resources back and takes the busy time out of the offer."""
        if booking_id is not None:
            connection.execute(
                delete(resource_holds).where(resource_holds.c.booking_id == booking_id)
            )
            connection.execute(
                delete(booking_resources).where(booking_resources.c.booking_id == booking_id)
            )
            connection.execute(delete(bookings).where(bookings.c.id == booking_id))
        content = connection.execute(
            select(offers.c.content).where(offers.c.id == offer_id).with_for_update()
        ).scalar_one_or_none()
        if not content:
            return
        offer = Offer.from_json(content)
        narrowed = msgspec.structs.replace(
            offer,
            slots=tuple(slot for slot in offer.slots if slot.start != start),
            promoted=tuple(moment for moment in offer.promoted if moment != start),
        )
        text = narrowed.to_json()
        connection.execute(
            update(offers)
            .where(offers.c.id == offer_id)
            .values(content=text, body_hash=digest(text))
        )

    def purge(self, retention_seconds: int) -> int:
        """Removes the records of re-checks decided longer ago than the retention."""
        cutoff = int(self._clock()) - retention_seconds
        with write_transaction(self._engine) as connection:
            removed = connection.execute(
                delete(booking_rechecks).where(
                    booking_rechecks.c.verdict.is_not(None), booking_rechecks.c.answered_at < cutoff
                )
            ).rowcount
        return int(removed)

    def _settle(self, ids: list[int]) -> dict[int, str]:
        """Confirms holds past their deadline; each one's verdict as it now stands."""
        with write_transaction(self._engine) as connection:
            settled = connection.execute(
                update(booking_rechecks)
                .where(booking_rechecks.c.id.in_(ids), booking_rechecks.c.verdict.is_(None))
                .values(verdict="timeout", answered_at=self._now_ms() // 1000)
            ).rowcount
            if settled:
                bump_version(connection)
            verdicts = {
                int(row.id): str(row.verdict)
                for row in connection.execute(
                    select(booking_rechecks.c.id, booking_rechecks.c.verdict).where(
                        booking_rechecks.c.id.in_(ids)
                    )
                )
            }
        return verdicts
