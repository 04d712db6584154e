"""CalDAV calendars: Nextcloud, iCloud, Fastmail, Radicale and the like.

Calendar ids are collection URLs (absolute, or relative to the account's URL).
Free/busy comes from the server's free-busy REPORT where it has one, otherwise
from an event search expanded here; writes are plain PUT and DELETE of one
iCalendar object named after the event's UID. The caldav library blocks, so
every call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, tzinfo
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote, urljoin

import caldav
import icalendar
import requests
from caldav.lib import error as dav_error
from lxml import etree

from ...core.intervals import Interval
from .base import EventRef, EventRequest
from .busy import clip_and_merge
from .errors import (
    CalendarError,
    CalendarRejected,
    CalendarUnavailable,
    MalformedResponse,
    RateLimited,
    ReconnectRequired,
)
from .ical_events import busy_from_events, busy_from_freebusy, event_calendar
from .retry import RetryPolicy, parse_retry_after, with_retries

T = TypeVar("T")
log = logging.getLogger(__name__)


class FreeBusyMethod(StrEnum):
    AUTO = "auto"
    """The free-busy REPORT, falling back to an event search when the server lacks it."""
    REPORT = "report"
    SEARCH = "search"


class _HttpStatus(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after


_FAILURES = (
    _HttpStatus,
    requests.RequestException,
    dav_error.DAVError,
    etree.Error,
    ValueError,
)


def _raise_for_status(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    status = response.status_code
    if status == 401 or status == 429 or (status >= 500 and status != 501):
        response.close()
        raise _HttpStatus(status, parse_retry_after(response.headers.get("Retry-After")))


class CalDavProvider:
    kind = "caldav"

    def __init__(
        self,
        *,
        account_name: str,
        url: str,
        username: str,
        password: str,
        time_zone: tzinfo,
        owner_emails: Sequence[str] = (),
        free_busy_method: FreeBusyMethod = FreeBusyMethod.AUTO,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._name = account_name
        self._url = url if url.endswith("/") else url + "/"
        self._tz = time_zone
        self._owners = frozenset(e.strip().lower() for e in owner_emails if e.strip())
        self._method = free_busy_method
        self._retry = retry or RetryPolicy()
        self._client = caldav.DAVClient(
            url=self._url,
            auth=requests.auth.HTTPBasicAuth(username, password),
            timeout=timeout,  # type: ignore[arg-type]
        )
        self._client.session.hooks["response"].append(_raise_for_status)

    # -- the Protocol ------------------------------------------------------

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Interval]]:
        results = await asyncio.gather(
            *(self._call(partial(self._calendar_busy, cid, start, end)) for cid in calendar_ids)
        )
        return {
            cid: clip_and_merge(spans, start, end)
            for cid, spans in zip(calendar_ids, results, strict=True)
            if spans is not None
        }

    async def create_event(self, calendar_id: str, event: EventRequest) -> EventRef:
        url = urljoin(self._collection(calendar_id), quote(event.uid, safe="") + ".ics")
        await self._call(lambda: self._put(url, event_calendar(event, 0)))
        return EventRef(event.uid, calendar_id, url, extra={"sequence": "0"})

    async def update_event(self, calendar_id: str, ref: EventRef, event: EventRequest) -> EventRef:
        sequence = int(ref.extra.get("sequence", "0")) + 1
        await self._call(lambda: self._put(ref.provider_id, event_calendar(event, sequence)))
        return EventRef(event.uid, calendar_id, ref.provider_id, extra={"sequence": str(sequence)})

    async def cancel_event(self, calendar_id: str, ref: EventRef) -> None:
        await self._call(lambda: self._delete(ref.provider_id))

    async def aclose(self) -> None:
        await asyncio.to_thread(self._client.session.close)

    async def check_connection(self) -> None:
        """One cheap request (the principal's PROPFIND) to prove the URL and password work."""
        await self._call(self._client.principal)

    async def calendar_urls(self) -> list[str]:
        """The URLs of the user's own calendar collections."""
        return await self._call(self._calendar_urls)

    def _calendar_urls(self) -> list[str]:
        principal = self._client.principal()  # type: ignore[no-untyped-call]
        return [str(c.url) for c in principal.calendars()]

    # -- blocking parts, run in threads -------------------------------------

    def _collection(self, calendar_id: str) -> str:
        url = urljoin(self._url, calendar_id)
        return url if url.endswith("/") else url + "/"

    def _calendar_busy(
        self, calendar_id: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]] | None:
        """Busy spans of one calendar; None when it is missing or not shared with the user."""
        calendar = caldav.Calendar(client=self._client, url=self._collection(calendar_id))
        try:
            return self._read_busy(calendar, start, end)
        except (dav_error.NotFoundError, dav_error.AuthorizationError):
            log.warning("The CalDAV calendar %s could not be read.", calendar_id)
            return None

    def _read_busy(
        self, calendar: caldav.Calendar, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        if self._method is not FreeBusyMethod.SEARCH:
            try:
                answer = calendar.freebusy_request(start, end)
                parsed = icalendar.Calendar.from_ical(answer.data)
                return list(busy_from_freebusy(parsed))
            except (dav_error.NotFoundError, dav_error.AuthorizationError):
                raise
            except (dav_error.DAVError, ValueError):
                if self._method is FreeBusyMethod.REPORT:
                    raise
                self._method = FreeBusyMethod.SEARCH
        found: list[Any] = calendar.search(start=start, end=end, event=True, expand=False)
        return busy_from_events(
            (item.icalendar_instance for item in found), start, end, self._tz, self._owners
        )

    def _put(self, url: str, body: bytes) -> None:
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        response = self._client.put(url, body.decode(), headers)
        if response.status not in (200, 201, 204):
            raise dav_error.PutError(url, str(response.status))

    def _delete(self, url: str) -> None:
        response = self._client.delete(url)
        if response.status not in (200, 204, 404):
            raise dav_error.DeleteError(url, str(response.status))

    # -- errors ------------------------------------------------------------

    async def _call(self, blocking: Callable[[], T]) -> T:
        async def attempt() -> T:
            try:
                return await asyncio.to_thread(blocking)
            except _FAILURES as problem:
                raise self._classify(problem) from None

        return await with_retries(attempt, self._retry)

    def _classify(self, problem: Exception) -> CalendarError:
        name = self._name
        if isinstance(problem, _HttpStatus):
            if problem.status == 401:
                return ReconnectRequired(
                    f"The CalDAV server refused the password for '{name}': reconnect this calendar."
                )
            if problem.status == 429:
                return RateLimited(
                    f"The CalDAV server for '{name}' asked to slow down.", problem.retry_after
                )
            return CalendarUnavailable(f"The CalDAV server for '{name}' failed; try again later.")
        if isinstance(problem, requests.Timeout):
            return CalendarUnavailable(f"The CalDAV server for '{name}' did not answer in time.")
        if isinstance(problem, requests.RequestException):
            return CalendarUnavailable(f"The CalDAV server for '{name}' could not be reached.")
        if isinstance(problem, dav_error.AuthorizationError):
            return CalendarRejected(f"The CalDAV server denied access to a calendar of '{name}'.")
        if isinstance(problem, dav_error.NotFoundError):
            return CalendarRejected(f"A calendar of '{name}' was not found on the CalDAV server.")
        if isinstance(problem, dav_error.DAVError):
            return CalendarRejected(f"The CalDAV server for '{name}' refused the request.")
        return MalformedResponse(f"The CalDAV server for '{name}' answered something unreadable.")
