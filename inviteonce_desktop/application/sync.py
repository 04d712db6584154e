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
from datetime import UTC, datetime

from ..core.meeting import Meeting
from ..services.relay_client import RelayClient, RelayClientError, RelayRecheck, RelayUnavailable
from .bookings import BookingService
from .outbox_worker import OutboxWorker, RunReport
from .relay_host import RelayHost

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 25.0
OUTBOX_TICK_SECONDS = 5.0
OFFLINE_RETRY_SECONDS = 5.0
CALENDAR_REFRESH_SECONDS = 300.0
RECHECK_MAX_SECONDS = 30.0
"""The longest a live re-check may read (the relay's deadline is usually much sooner)."""
RECHECK_MIN_SECONDS = 1.0
"""A re-check always gets this long, whatever the clocks of desktop and relay say."""

Recheck = Callable[[RelayRecheck], Awaitable[str | None]]


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
        recheck: Recheck | None = None,
    ) -> None:
        self._after_bookings = after_bookings
        self._following: asyncio.Task[None] | None = None
        self._follow_again = False
        self._recheck = recheck
        self._refresh_soon: asyncio.Event | None = None
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
        """Process new bookings (waiting up to *wait* s for one), then acknowledge them.

        The outbox work they cause (calendar events, emails) is stored with them and done
        by the outbox loop, so the feed is polled again at once: a customer's pick held for
        a re-check is never kept waiting behind another meeting's emails.
        """
        meetings, _ = await self._fetch(wait, work_now=False)
        return meetings

    async def _fetch(self, wait: float, work_now: bool = True) -> tuple[list[Meeting], RunReport]:
        """New bookings as meetings, and (*work_now*) the outbox work they caused, done
        before the ack; otherwise the outbox loop is woken for it."""
        work = RunReport()
        async with self._relay.client(timeout=10.0) as client:
            page = await client.bookings(after=0, wait=wait)
            self.online = True
            if page.rechecks and self._recheck is not None:
                await asyncio.gather(*(self._answer(client, ask) for ask in page.rechecks))
            if page.opened:
                await asyncio.to_thread(self._bookings.record_opened, page.opened)
            meetings = []
            for booking in page.bookings:
                meeting = await self._bookings.process(booking)
                if meeting is not None:
                    meetings.append(meeting)
            if page.bookings:
                if work_now:
                    work = await self._worker.run_due()
                else:
                    self._worker.wakeup.set()
                await client.ack_ids([b.id for b in page.bookings])
        if meetings and self._after_bookings is not None:
            if work_now:
                await self._after_bookings()
            else:
                self._after_bookings_soon()
        return meetings, work

    def _after_bookings_soon(self) -> None:
        """Runs what follows new bookings (republishing the offers they changed) beside the
        feed; bookings that come meanwhile ask for one more run, not one each."""
        if self._following is not None and not self._following.done():
            self._follow_again = True
            return
        self._following = asyncio.create_task(self._follow_bookings())

    async def _follow_bookings(self) -> None:
        assert self._after_bookings is not None
        while True:
            self._follow_again = False
            try:
                await self._after_bookings()
            except Exception:  # the next booking or refresh tries again
                log.exception("Republishing after new bookings failed")
            if not self._follow_again:
                return

    async def _answer(self, client: RelayClient, ask: RelayRecheck) -> None:
        """Reads the calendars live for a held pick and tells the relay; no answer in time
        (or a failure) leaves the decision to the relay at its deadline."""
        assert self._recheck is not None
        left = (ask.answer_by - datetime.now(UTC)).total_seconds()
        budget = min(max(left, RECHECK_MIN_SECONDS), RECHECK_MAX_SECONDS)
        try:
            verdict = await asyncio.wait_for(self._recheck(ask), budget)
        except TimeoutError:
            log.info("Re-check %s: the calendars did not answer in time", ask.id)
            return
        except Exception:  # one failed re-check must not stop the feed
            log.exception("Re-check %s failed", ask.id)
            return
        if verdict is None:
            return
        try:
            outcome = await client.answer_recheck(ask.id, verdict)
        except RelayClientError as error:
            log.info("Re-check %s: the answer did not reach the relay: %s", ask.id, error)
            return
        log.info("Re-check %s: %s, %s", ask.id, verdict, outcome)
        if verdict == "busy" and self._refresh_soon is not None:
            self._refresh_soon.set()  # The cache missed an event: read the calendars now.

    async def run_forever(
        self,
        on_booking: Callable[[Meeting], None],
        on_online: Callable[[bool], None],
    ) -> None:
        self._refresh_soon = asyncio.Event()
        tasks = [
            asyncio.create_task(self._feed_loop(on_booking, on_online)),
            asyncio.create_task(self._outbox_loop(on_online)),
            asyncio.create_task(self._calendar_loop()),
        ]
        try:
            await asyncio.gather(*tasks)
        finally:
            if self._following is not None:
                tasks.append(self._following)
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
            soon = self._refresh_soon
            if soon is None:
                await asyncio.sleep(self._refresh_interval())
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(soon.wait(), self._refresh_interval())
            soon.clear()

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
            self._worker.wakeup.clear()  # before the pass: work queued during it wakes the next
            await self._worker.run_due()
            if self._worker.online is not None:
                self._set_online(self._worker.online, on_online)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._worker.wakeup.wait(), OUTBOX_TICK_SECONDS)

    def _set_online(self, online: bool, on_online: Callable[[bool], None]) -> None:
        if online != self.online:
            self.online = online
            if online:
                self._worker.retry_now()
            on_online(online)
