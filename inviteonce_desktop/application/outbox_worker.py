"""Doing the outbox's work: each item's handler, then marking it done.

Handlers are idempotent at their far end (a relay publish by invitation id, an
email by Message-ID, a calendar event by iCalendar UID), so an item whose
process died between doing and marking is simply done again, with no
duplicate. Failures are classified: the network (retried with backoff), a
refusal (kept as failed, its sentence shown to the organizer), a bug (the same,
with the details in the log).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import DomainError
from ..services.calendars.errors import (
    CalendarUnavailable,
    RateLimited,
    ReconnectRequired,
)
from ..services.mail import MailNotConfigured, MailUnavailable
from ..services.relay_client import RelayUnavailable
from ..store.outbox import Outbox, OutboxItem
from ..store.workspace import Workspace
from .clock import Clock

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]

TRANSIENT: tuple[type[BaseException], ...] = (
    RelayUnavailable,
    MailUnavailable,
    MailNotConfigured,
    CalendarUnavailable,
    RateLimited,
    ReconnectRequired,
    OSError,
    asyncio.TimeoutError,
)


@dataclass(frozen=True, slots=True)
class RunReport:
    done: int = 0
    failed: int = 0
    waiting: int = 0

    def __add__(self, other: RunReport) -> RunReport:
        return RunReport(self.done + other.done, self.failed + other.failed, other.waiting)


class OutboxWorker:
    def __init__(self, workspace: Workspace, clock: Clock, handlers: Mapping[str, Handler]) -> None:
        self._workspace = workspace
        self._clock = clock
        self._handlers = handlers
        self._lock = asyncio.Lock()
        self.wakeup = asyncio.Event()
        self.online: bool | None = None

    async def run_due(self, rounds: int = 5) -> RunReport:
        """Do every due item, and the items those add, up to *rounds* times over."""
        report = RunReport()
        async with self._lock:
            for _ in range(rounds):
                with self._workspace.session() as session:
                    items = Outbox(session).due(self._clock.now())
                if not items:
                    break
                for item in items:
                    report += await self._run(item)
        with self._workspace.session() as session:
            waiting = len(Outbox(session).pending())
        return RunReport(report.done, report.failed, waiting)

    async def _run(self, item: OutboxItem) -> RunReport:
        handler = self._handlers[item.kind]
        try:
            result = await handler(item.payload)
        except TRANSIENT as error:
            self.online = not isinstance(error, (RelayUnavailable, OSError, CalendarUnavailable))
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

    def _mark_failed(self, item: OutboxItem, error: str, permanent: bool) -> None:
        with self._workspace.session() as session:
            Outbox(session).failed(item.id, error, self._clock.now(), permanent=permanent)

    def retry_now(self) -> None:
        with self._workspace.session() as session:
            Outbox(session).retry_now(self._clock.now())
        self.wakeup.set()


def _sentence(error: BaseException) -> str:
    text = str(error).strip()
    if isinstance(error, OSError) and not text:
        return "The network is unavailable."
    return text or f"{type(error).__name__} happened."
