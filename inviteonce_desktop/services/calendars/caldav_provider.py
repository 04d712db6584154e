"""CalDAV calendars: Nextcloud, iCloud, Fastmail, Radicale and the like.

Calendar ids are collection URLs (absolute, or relative to the account's URL).
Free/busy comes from the events themselves, read with calendar-query and
expanded here (servers differ in what their free-busy REPORT and their own
expansion get wrong): declined, transparent and cancelled events are free, and
floating and all-day times are read in the calendar's own zone
(CALDAV:calendar-timezone, else the zone of the member or room it belongs to,
else the account's). Writes are
plain PUT and DELETE of one iCalendar object named after the event's UID. The
caldav library blocks, so every call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urljoin

import caldav
import icalendar
import requests
from caldav.elements import cdav
from caldav.lib import error as dav_error
from lxml import etree

from ...core.intervals import Interval
from .base import EventRef, EventRequest
from .busy import FreeBusy, clip_and_merge
from .errors import (
    CalendarError,
    CalendarRejected,
    CalendarUnavailable,
    MalformedResponse,
    RateLimited,
    ReconnectRequired,
)
from .ical_events import busy_from_events, busy_from_freebusy, calendar_zone, event_calendar
from .retry import RetryPolicy, parse_retry_after, with_retries

T = TypeVar("T")
log = logging.getLogger(__name__)


class FreeBusyMethod(StrEnum):
    AUTO = "auto"
    """Events read and expanded here (the same as SEARCH)."""
    REPORT = "report"
    """The server's free-busy REPORT, trusted as it answers (declined invitations,
    floating and all-day times are the server's to get right)."""
    SEARCH = "search"


_RECURRING_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter>
    <C:comp-filter name="VCALENDAR">
      <C:comp-filter name="VEVENT"><C:prop-filter name="RRULE"/></C:comp-filter>
    </C:comp-filter>
  </C:filter>
</C:calendar-query>"""


@dataclass(frozen=True, slots=True)
class CalDavCalendar:
    """One calendar collection of the account, as the user chooses among them."""

    url: str
    name: str
    holds_events: bool = True

    @property
    def generated(self) -> bool:
        """A calendar the server makes from other data (birthdays, holidays): not the
        one to read busy time from or to write meetings to by default."""
        text = f"{self.name} {self.url}".lower()
        return any(word in text for word in _GENERATED)


_GENERATED = ("birthday", "holiday", "contact_birthdays", "anniversar")


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
        self._zones: dict[str, tzinfo | None] = {}
        self._own_zones: dict[str, tzinfo] = {}
        self._retry = retry or RetryPolicy()
        self._client = caldav.DAVClient(
            url=self._url,
            auth=requests.auth.HTTPBasicAuth(username, password),
            timeout=timeout,  # type: ignore[arg-type]
        )
        self._client.session.hooks["response"].append(_raise_for_status)

    def use_zones(self, zones: Mapping[str, tzinfo]) -> None:
        """The zone of the member or room each calendar id belongs to: floating and all-day
        times of a calendar without CALDAV:calendar-timezone are read in it (else in the
        account's zone)."""
        self._own_zones.update(zones)

    # -- the Protocol ------------------------------------------------------

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Interval]]:
        results = await asyncio.gather(
            *(self._call(partial(self._calendar_busy, cid, start, end)) for cid in calendar_ids)
        )
        answer = FreeBusy()
        for cid, spans in zip(calendar_ids, results, strict=True):
            if isinstance(spans, str):
                answer.unreadable[cid] = spans
            else:
                answer[cid] = clip_and_merge(spans, start, end)
        return answer

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
        """The URLs of the user's own calendar collections, the best default first."""
        return [c.url for c in await self.calendars()]

    async def calendars(self) -> list[CalDavCalendar]:
        """The user's own calendar collections: those that hold events first, and
        birthday or other generated calendars last."""
        found = await self._call(self._calendars)
        return sorted(found, key=lambda c: (not c.holds_events, c.generated))

    def _calendars(self) -> list[CalDavCalendar]:
        principal = self._client.principal()  # type: ignore[no-untyped-call]
        result = []
        for collection in principal.calendars():
            url = str(collection.url)
            try:
                name = collection.get_display_name() or ""
            except (dav_error.DAVError, etree.Error):
                name = ""
            try:
                components = [str(c).upper() for c in collection.get_supported_components()]
            except (dav_error.DAVError, etree.Error, KeyError):
                components = []
            result.append(
                CalDavCalendar(
                    url,
                    name or unquote(url.rstrip("/").rsplit("/", 1)[-1]),
                    not components or "VEVENT" in components,
                )
            )
        return result

    # -- blocking parts, run in threads -------------------------------------

    def _collection(self, calendar_id: str) -> str:
        url = urljoin(self._url, calendar_id)
        return url if url.endswith("/") else url + "/"

    def _calendar_busy(
        self, calendar_id: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]] | str:
        """Busy spans of one calendar; the reason when it is missing or not shared."""
        calendar = caldav.Calendar(client=self._client, url=self._collection(calendar_id))
        try:
            return self._read_busy(calendar, calendar_id, start, end)
        except dav_error.NotFoundError:
            log.warning("The CalDAV calendar %s was not found.", calendar_id)
            return "the CalDAV server has no calendar at this address"
        except dav_error.AuthorizationError:
            log.warning("The CalDAV calendar %s could not be read.", calendar_id)
            return "the CalDAV server does not let this account read it"

    def _read_busy(
        self, calendar: caldav.Calendar, calendar_id: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        if self._method is FreeBusyMethod.REPORT:
            answer = calendar.freebusy_request(start, end)
            parsed = icalendar.Calendar.from_ical(answer.data)
            return list(busy_from_freebusy(parsed))
        tz = self._calendar_zone(calendar) or self._own_zones.get(calendar_id, self._tz)
        return busy_from_events(self._events(calendar, start, end), start, end, tz, self._owners)

    def _events(
        self, calendar: caldav.Calendar, start: datetime, end: datetime
    ) -> list[icalendar.Calendar]:
        """Every event object that may have an occurrence in [start, end).

        The time-range query finds single events; recurring series are asked for
        on their own (every object with an RRULE), because some servers leave
        plain occurrences out of time-range answers. Expansion is done here.
        """
        found: dict[str, icalendar.Calendar] = {}
        in_range: list[Any] = calendar.search(start=start, end=end, event=True, expand=False)
        for item in in_range:
            found[str(item.url)] = item.icalendar_instance
        try:
            series: list[Any] = calendar.search(xml=_RECURRING_QUERY, comp_class=caldav.Event)
        except dav_error.ReportError:
            series = calendar.search(event=True, expand=False)
        for item in series:
            found.setdefault(str(item.url), item.icalendar_instance)
        return list(found.values())

    def _calendar_zone(self, calendar: caldav.Calendar) -> tzinfo | None:
        """CALDAV:calendar-timezone of the collection, or None when it has none."""
        key = str(calendar.url)
        if key not in self._zones:
            self._zones[key] = None
            try:
                text = calendar.get_property(cdav.CalendarTimeZone())
            except (dav_error.DAVError, etree.Error):
                text = None
            if text:
                self._zones[key] = calendar_zone(text)
        return self._zones[key]

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
