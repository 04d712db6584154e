"""Keeping the desktop and the outside world in step: the outbox and the bookings feed.

``run_once`` does one pass (the CLI's ``sync``); ``run_forever`` long-polls the
relay for bookings and works the outbox whenever something is queued or a retry
falls due, until its task is cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ..core.meeting import Meeting
from ..services.relay_client import RelayClientError, RelayUnavailable
from .bookings import BookingService
from .outbox_worker import OutboxWorker, RunReport
from .relay_host import RelayHost

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 25.0
OUTBOX_TICK_SECONDS = 5.0
OFFLINE_RETRY_SECONDS = 5.0
CALENDAR_REFRESH_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class SyncReport:
    done: int
    failed: int
    bookings: int
    waiting: int = 0


class SyncService:
    def __init__(
        self,
        relay: RelayHost,
        worker: OutboxWorker,
        bookings: BookingService,
        refresh_calendars: Callable[[], Awaitable[None]] | None = None,
        refresh_interval: Callable[[], float] | None = None,
        after_bookings: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self._after_bookings = after_bookings
        self._relay = relay
        self._refresh_interval = refresh_interval or (lambda: CALENDAR_REFRESH_SECONDS)
        self._worker = worker
        self._bookings = bookings
        self._refresh_calendars = refresh_calendars
        self.online = True

    async def run_once(self) -> SyncReport:
        """One pass, asked for by the organizer: what waits for a retry is tried now."""
        self._worker.retry_now()
        first = await self._worker.run_due()
        try:
            meetings, feed = await self._fetch(wait=0.0)
        except RelayUnavailable:
            self.online = False
            meetings, feed = [], RunReport()
        second = await self._worker.run_due()
        done = first.done + feed.done + second.done
        failed = first.failed + feed.failed + second.failed
        return SyncReport(done, failed, len(meetings), second.waiting)

    async def fetch_bookings(self, wait: float) -> list[Meeting]:
        """Process new bookings (waiting up to *wait* s for one), then acknowledge them."""
        meetings, _ = await self._fetch(wait)
        return meetings

    async def _fetch(self, wait: float) -> tuple[list[Meeting], RunReport]:
        """New bookings as meetings, and the outbox work they caused, done before the ack."""
        work = RunReport()
        async with self._relay.client(timeout=10.0) as client:
            page = await client.bookings(after=0, wait=wait)
            self.online = True
            meetings = []
            for booking in page.bookings:
                meeting = await self._bookings.process(booking)
                if meeting is not None:
                    meetings.append(meeting)
            if page.bookings:
                work = await self._worker.run_due()
                await client.ack_ids([b.id for b in page.bookings])
        if meetings and self._after_bookings is not None:
            await self._after_bookings()
        return meetings, work

    async def run_forever(
        self,
        on_booking: Callable[[Meeting], None],
        on_online: Callable[[bool], None],
    ) -> None:
        tasks = [
            asyncio.create_task(self._feed_loop(on_booking, on_online)),
            asyncio.create_task(self._outbox_loop(on_online)),
            asyncio.create_task(self._calendar_loop()),
        ]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _calendar_loop(self) -> None:
        """Free/busy of connected calendars, refreshed now and every refresh interval."""
        if self._refresh_calendars is None:
            return
        while True:
            try:
                await self._refresh_calendars()
            except Exception:  # one bad refresh must not stop the others
                log.exception("Refreshing the calendars failed")
            await asyncio.sleep(self._refresh_interval())

    async def _feed_loop(
        self, on_booking: Callable[[Meeting], None], on_online: Callable[[bool], None]
    ) -> None:
        while True:
            try:
                meetings = await self.fetch_bookings(wait=LONG_POLL_SECONDS)
            except RelayClientError as error:
                self._set_online(False, on_online)
                log.info("Bookings feed: %s", error)
                await asyncio.sleep(OFFLINE_RETRY_SECONDS)
                continue
            self._set_online(True, on_online)
            for meeting in meetings:
                on_booking(meeting)

    async def _outbox_loop(self, on_online: Callable[[bool], None]) -> None:
        while True:
            await self._worker.run_due()
            if self._worker.online is not None:
                self._set_online(self._worker.online, on_online)
            self._worker.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._worker.wakeup.wait(), OUTBOX_TICK_SECONDS)

    def _set_online(self, online: bool, on_online: Callable[[bool], None]) -> None:
        if online != self.online:
            self.online = online
            if online:
                self._worker.retry_now()
            on_online(online)
