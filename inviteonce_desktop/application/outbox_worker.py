"""Doing the outbox's work: each job's handler, then marking it done.

Handlers are idempotent at their far end (a relay publish by invitation id, a
calendar event by iCalendar UID), so an item whose process died between doing
and marking is simply done again, with no duplicate. An email is the exception
the far end cannot catch: its handler only composes it, and :class:`MailDelivery`
sends it once (see ``delivery``).

One process works a workspace's outbox at a time: a pass holds an operating-
system file lock (``outbox.lock``), so the window's sync loop and an
``inviteonce sync`` or ``invite`` in a terminal never send the same email
together; the lock goes with its process, however that ends.

Failures are classified: a temporary one (the network, a 4xx from the mail
server, an unanswered send) is retried with capped backoff until the give-up
time; a refusal is kept as failed with its sentence; a bug the same, with the
details in the log. Either end of an email is written in the invitation's
history.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from filelock import FileLock, Timeout

from ..core.errors import DomainError, ValidationError
from ..core.history import HistoryKind
from ..services.calendars.errors import (
    CalendarUnavailable,
    RateLimited,
    ReconnectRequired,
)
from ..services.mail import MailNotConfigured, MailOutcomeUnknown, MailUnavailable
from ..services.relay_client import RelayUnavailable
from ..store.history import History
from ..store.outbox import FAILED, Outbox, OutboxItem
from ..store.settings import Settings
from ..store.workspace import Workspace
from .clock import Clock
from .jobs import Handlers, Outgoing, job_of
from .mail_delivery import DELIVERY_SETTINGS, MailDelivery, NotSettled

log = logging.getLogger(__name__)

OUTBOX_LOCK = "outbox.lock"
LOCK_WAIT_SECONDS = 30.0
"""How long a pass waits for another process's pass to end before leaving the work to it."""
DEFAULT_GIVE_UP = timedelta(hours=24)

TRANSIENT: tuple[type[BaseException], ...] = (
    RelayUnavailable,
    MailUnavailable,
    MailOutcomeUnknown,
    MailNotConfigured,
    CalendarUnavailable,
    RateLimited,
    ReconnectRequired,
    OSError,
    asyncio.TimeoutError,
)
OFFLINE: tuple[type[BaseException], ...] = (RelayUnavailable, OSError, CalendarUnavailable)


def give_up_after(workspace: Workspace) -> timedelta:
    """How long temporary failures are retried before the organizer is told (a setting)."""
    with workspace.session() as session:
        stored = Settings(session).get(DELIVERY_SETTINGS) or {}
    hours = stored.get("give_up_hours")
    return DEFAULT_GIVE_UP if hours is None else timedelta(hours=float(hours))


def set_give_up_after(workspace: Workspace, hours: float) -> None:
    if not 0 < hours <= 24 * 30:
        raise ValidationError("The give-up time must be more than 0 hours and at most 30 days.")
    with workspace.session() as session:
        settings = Settings(session)
        settings.put(
            DELIVERY_SETTINGS, {**(settings.get(DELIVERY_SETTINGS) or {}), "give_up_hours": hours}
        )


@dataclass(frozen=True, slots=True)
class RunReport:
    done: int = 0
    failed: int = 0
    waiting: int = 0

    def __add__(self, other: RunReport) -> RunReport:
        return RunReport(self.done + other.done, self.failed + other.failed, other.waiting)


class OutboxWorker:
    def __init__(
        self,
        workspace: Workspace,
        clock: Clock,
        handlers: Handlers,
        delivery: MailDelivery | None = None,
        background: frozenset[str] = frozenset(),
    ) -> None:
        self._background = background
        """Kinds of work nobody waits on (republishing offers): done after everything else,
        and set aside when other work comes due meanwhile."""
        self._workspace = workspace
        self._clock = clock
        self._handlers = handlers
        self._delivery = delivery
        self._lock = asyncio.Lock()
        self._file_lock = FileLock(str(workspace.home / OUTBOX_LOCK), thread_local=False)
        self.wakeup = asyncio.Event()
        self.online: bool | None = None
        self.before_pass: list[Callable[[], object]] = []
        """Work that queues work (reminders following their meetings), done at each pass
        under the lock, before the due items are read."""

    async def run_due(self, rounds: int = 5) -> RunReport:
        """Do every due item, and the items those add, up to *rounds* times over."""
        report = RunReport()
        async with self._lock:
            if await asyncio.to_thread(self._take_file_lock):
                try:
                    for plan in self.before_pass:
                        await asyncio.to_thread(plan)
                    report = await self._rounds(rounds)
                finally:
                    self._file_lock.release()
        with self._workspace.session() as session:
            waiting = len(Outbox(session).pending(self._clock.now()))
        return RunReport(report.done, report.failed, waiting)

    def _take_file_lock(self) -> bool:
        try:
            self._file_lock.acquire(timeout=LOCK_WAIT_SECONDS)
        except Timeout:
            log.info("Another process works this workspace's outbox; leaving the work to it")
            return False
        return True

    async def _rounds(self, rounds: int) -> RunReport:
        report = RunReport()
        for _ in range(rounds):
            with self._workspace.session() as session:
                items = Outbox(session).due(self._clock.now(), last=self._background)
            if not items:
                break
            for item in items:
                report += await self._run(item)
                if item.kind in self._background and self._other_work_due():
                    break  # a calendar event or an email for a customer goes first
        return report

    def _other_work_due(self) -> bool:
        with self._workspace.session() as session:
            (first,) = Outbox(session).due(self._clock.now(), limit=1, last=self._background) or (
                None,
            )
        return first is not None and first.kind not in self._background

    async def _run(self, item: OutboxItem) -> RunReport:
        try:
            result = await self._do(item)
        except NotSettled as waiting:
            with self._workspace.session() as session:
                Outbox(session).defer(item.id, str(waiting), waiting.until)
            return RunReport()
        except TRANSIENT as error:
            self.online = not isinstance(error, OFFLINE)
            self._mark_failed(item, _sentence(error), permanent=False)
            return RunReport(failed=1)
        except DomainError as error:
            self._mark_failed(item, str(error), permanent=True)
            return RunReport(failed=1)
        except Exception as error:  # a refusal or a bug: keep the item, show one sentence
            log.exception("Outbox item %s (%s) failed", item.id, item.kind)
            self._mark_failed(item, _sentence(error), permanent=True)
            return RunReport(failed=1)
        self.online = True
        with self._workspace.session() as session:
            Outbox(session).done(item.id, self._clock.now(), result)
        return RunReport(done=1)

    async def _do(self, item: OutboxItem) -> dict[str, Any] | None:
        result = await self._handlers[item.kind](job_of(item))
        if not isinstance(result, Outgoing):
            return result
        if self._delivery is None:
            raise MailNotConfigured("Mail sending is not set up yet; set it up in Settings, Mail.")
        return await self._delivery.deliver(item, result)

    def _mark_failed(self, item: OutboxItem, error: str, permanent: bool) -> None:
        now = self._clock.now()
        limit = give_up_after(self._workspace)
        with self._workspace.session() as session:
            status = Outbox(session).failed(item.id, error, now, permanent, limit)
            if status == FAILED and item.invitation_id is not None and job_of(item).mail:
                hours = limit.total_seconds() / 3600
                text = error if permanent else f"Given up after {hours:g} h of retries: {error}"
                History(session).add(item.invitation_id, now, HistoryKind.EMAIL_FAILED, text)

    def retry_now(self) -> None:
        with self._workspace.session() as session:
            Outbox(session).retry_now(self._clock.now())
        self.wakeup.set()


def _sentence(error: BaseException) -> str:
    text = str(error).strip()
    if isinstance(error, OSError) and not text:
        return "The network is unavailable."
    return text or f"{type(error).__name__} happened."
