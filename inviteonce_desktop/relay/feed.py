"""The organizer's bookings feed: unacknowledged bookings after a cursor."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, and_, exists, false, select, update

from .database import write_transaction
from .schema import booking_rechecks, bookings, offer_links, offers

FEED_LIMIT = 200


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: int
    invitation_id: str
    salt: str
    start: int
    end: int
    resource_keys: tuple[str, ...]
    customer_time_zone: str
    booked_at: int
    origin: int = 0
    """The meeting's first booking row (its UID's origin); the entry's own id for a booking."""
    change: str = "booked"


def still_checking(booking_id: ColumnElement[int]) -> ColumnElement[bool]:
    """Whether the booking *booking_id* is a hold still waiting for the desktop's re-check
    (:mod:`.recheck`): it joins the feed once it has its verdict."""
    return exists().where(
        booking_rechecks.c.booking_id == booking_id, booking_rechecks.c.verdict.is_(None)
    )


class BookingFeed:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def after(self, organizer_id: int, cursor: int) -> list[FeedEntry]:
        query = (
            select(
                bookings.c.id,
                offers.c.invitation_id,
                offers.c.salt,
                bookings.c.start_at,
                bookings.c.end_at,
                bookings.c.resource_keys,
                bookings.c.customer_time_zone,
                bookings.c.booked_at,
                bookings.c.origin_id,
                bookings.c.change,
            )
            .join(offers, offers.c.id == bookings.c.offer_id)
            .where(
                bookings.c.organizer_id == organizer_id,
                bookings.c.acknowledged == false(),
                bookings.c.id > cursor,
                ~still_checking(bookings.c.id),
            )
            .order_by(bookings.c.id)
            .limit(FEED_LIMIT)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            FeedEntry(
                id=r.id,
                invitation_id=r.invitation_id,
                salt=r.salt,
                start=r.start_at,
                end=r.end_at,
                resource_keys=tuple(json.loads(r.resource_keys)),
                customer_time_zone=r.customer_time_zone,
                booked_at=r.booked_at,
                origin=r.origin_id or r.id,
                change=r.change or "booked",
            )
            for r in rows
        ]

    def acknowledge(
        self, organizer_id: int, *, cursor: int | None = None, ids: Sequence[int] = ()
    ) -> int:
        """Marks bookings up to *cursor* (or those in *ids*) as received."""
        condition = bookings.c.id <= cursor if cursor is not None else bookings.c.id.in_(list(ids))
        with write_transaction(self._engine) as connection:
            result = connection.execute(
                update(bookings)
                .where(
                    bookings.c.organizer_id == organizer_id,
                    condition,
                    ~still_checking(bookings.c.id),  # A hold joins the feed at its verdict.
                )
                .values(acknowledged=True)
            )
        return result.rowcount


class OpenedLinks:
    """When a customer's browser first opened an offer's link, for the organizer's history.

    The link's page reports it, or the customer's booking form does (see
    ``opened``); no GET counts, since mail scanners fetch links too.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def mark(self, token_hash: str, now: int) -> None:
        offer = select(offer_links.c.offer_id).where(offer_links.c.token_hash == token_hash)
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(offers)
                .where(offers.c.id.in_(offer.scalar_subquery()), offers.c.opened_at.is_(None))
                .values(opened_at=now)
            )

    def of(self, organizer_id: int, since: int) -> list[tuple[str, int]]:
        """(invitation id, when) of this organizer's offers a customer opened after *since*."""
        query = select(offers.c.invitation_id, offers.c.opened_at).where(
            and_(
                offers.c.organizer_id == organizer_id,
                offers.c.opened_at >= since,
                offers.c.cancelled == false(),
            )
        )
        with self._engine.connect() as connection:
            return [(str(r.invitation_id), int(r.opened_at)) for r in connection.execute(query)]


class BookingSignal:
    """Wakes long-polls in this process when a booking is made here.

    Bookings made by other workers are found by the long-poll's periodic look.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return
