"""The relay's parts, built once per app and handed to every route."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from starlette.requests import Request

from .booking import BookingDesk
from .changes import ChangeCounter
from .clock import Clock, system_clock
from .feed import BookingFeed, BookingSignal
from .offer_store import OfferStore
from .organizers import OrganizerDirectory
from .page_cache import PageCache
from .pages import Pages
from .ratelimit import RateLimiter
from .receipts import Receipts, ReceiptServer
from .recheck import Rechecks
from .settings import RelaySettings


@dataclass(frozen=True, slots=True)
class RelayParts:
    settings: RelaySettings
    engine: Engine
    organizers: OrganizerDirectory
    offers: OfferStore
    desk: BookingDesk
    feed: BookingFeed
    signal: BookingSignal
    limiter: RateLimiter
    pages: Pages
    page_cache: PageCache
    changes: ChangeCounter
    clock: Clock
    rechecks: Rechecks
    receipts: Receipts | None = None
    """The operator's booking receipts to customers; None when they are off."""

    @classmethod
    def build(
        cls, settings: RelaySettings, engine: Engine, clock: Clock = system_clock
    ) -> RelayParts:
        offers = OfferStore(engine, clock)
        server = ReceiptServer.of(settings)
        receipts = None if server is None else Receipts(engine, server, settings.base_url, clock)
        desk = BookingDesk(engine, offers, clock, receipts.queue if receipts else None)
        signal = BookingSignal()
        organizers = OrganizerDirectory(engine, clock)
        return cls(
            settings=settings,
            engine=engine,
            organizers=organizers,
            offers=offers,
            desk=desk,
            feed=BookingFeed(engine),
            signal=signal,
            limiter=RateLimiter(settings.bookings_per_minute, settings.booking_burst, clock),
            pages=Pages(),
            page_cache=PageCache(settings.page_cache_seconds),
            changes=ChangeCounter(engine),
            clock=clock,
            rechecks=Rechecks(engine, desk, signal, settings.recheck_seconds, clock),
            receipts=receipts,
        )

    def written(self) -> None:
        """Something changed in the database through this process."""
        self.page_cache.clear()
        self.signal.notify()
        if self.receipts is not None:
            self.receipts.wake()


def parts_of(request: Request) -> RelayParts:
    parts: RelayParts = request.app.state.relay
    return parts
